package io.spate.verify;

import io.spate.metainfo.InfoHash;
import io.spate.storage.TorrentStorage;

import java.security.MessageDigest;

/**
 * A piece being hashed as its blocks are written: while blocks arrive in order (one peer serving a piece answers in
 * order) each is fed to the digest straight from the ring slot, still in cache, so a whole piece needs no read back
 * from the files. A block out of order marks the piece to be read back and hashed at the end instead.
 */
final class PieceDigest
{
    final MessageDigest sha1 = InfoHash.newSha1();
    /** The storage this state belongs to: torrent ids are reused after a torrent is removed. */
    TorrentStorage storage;
    /** Bytes of the piece fed to the digest, from its start. */
    int hashed;
    boolean outOfOrder;

    PieceDigest reset(final TorrentStorage storage)
    {
        this.storage = storage;
        this.hashed = 0;
        this.outOfOrder = false;
        sha1.reset();
        return this;
    }
}
