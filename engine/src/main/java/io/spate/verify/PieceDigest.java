package io.spate.verify;

import io.spate.metainfo.PieceSha1;
import io.spate.storage.TorrentStorage;
import org.agrona.collections.Int2IntHashMap;

import java.security.MessageDigest;

/**
 * A piece being hashed as its blocks are written: blocks are fed to the digest in order, from where they were
 * received while still in cache, so a whole piece needs no read back from the files. A block ahead of the next
 * expected one is written at once and noted here; once the gap before it fills it is read back (from the page cache)
 * and hashed in its turn.
 */
final class PieceDigest
{
    private static final int NONE = -1;

    /** Made at the piece's first block, not with the spare pool at the engine's start: a native SHA-1 loads meanwhile. */
    MessageDigest sha1;
    /** The digest reads direct memory itself, so blocks are hashed where they lie, not copied to an array first. */
    boolean inPlace;
    /** Blocks of this piece written ahead of {@link #hashed}: offset in the piece -> length. */
    final Int2IntHashMap ahead = new Int2IntHashMap(NONE);
    /** The storage this state belongs to: torrent ids are reused after a torrent is removed. */
    TorrentStorage storage;
    /** Bytes of the piece written and fed to the digest, from its start. */
    int hashed;
    /** The piece will be read back from the files and hashed when whole. */
    boolean readBack;

    PieceDigest reset(final TorrentStorage storage)
    {
        this.storage = storage;
        this.hashed = 0;
        this.readBack = false;
        ahead.clear();
        if (sha1 == null)
        {
            sha1 = PieceSha1.newDigest();
            inPlace = PieceSha1.hashesDirectMemoryInPlace(sha1);
        }
        else
        {
            sha1.reset();
        }
        return this;
    }
}
