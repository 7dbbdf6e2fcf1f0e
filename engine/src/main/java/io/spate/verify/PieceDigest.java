package io.spate.verify;

import io.spate.metainfo.InfoHash;
import io.spate.storage.TorrentStorage;
import org.agrona.collections.Int2IntHashMap;

import java.security.MessageDigest;

/**
 * A piece being hashed as its blocks are written: blocks are fed to the digest in order, from the ring slot while
 * still in cache, so a whole piece needs no read back from the files. A block ahead of the next expected one waits
 * in {@link ParkedBlocks} until the gap fills; only when no slot is free is the piece marked to be read back and
 * hashed at the end instead.
 */
final class PieceDigest
{
    private static final int NONE = -1;

    final MessageDigest sha1 = InfoHash.newSha1();
    /** Parked blocks of this piece: offset in the piece -> slot. */
    final Int2IntHashMap parked = new Int2IntHashMap(NONE);
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
        sha1.reset();
        return this;
    }

    /** @return the slot parked at {@code offset} (and forgets it), or -1. */
    int unpark(final int offset)
    {
        return parked.isEmpty() ? NONE : parked.remove(offset);
    }

    /** Gives every parked slot back, unwritten. */
    void dropParked(final ParkedBlocks parking)
    {
        if (!parked.isEmpty())
        {
            parked.forEachInt((offset, slot) -> parking.release(slot));
            parked.clear();
        }
    }
}
