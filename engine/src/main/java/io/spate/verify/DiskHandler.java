package io.spate.verify;

import io.spate.metainfo.InfoHash;
import io.spate.storage.TorrentStorage;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayDeque;

/**
 * One of N handlers on the block ring; each takes the blocks of the pieces in its shard, so every block of a piece is
 * handled by one thread, in the order received. A block is written where it belongs with a positional write and, if
 * it continues its piece in order, fed to the piece's SHA-1 at once, from the ring slot (see {@link PieceDigest});
 * the block that completes a piece finishes its hash (reading the piece back from the files only if blocks came out
 * of order) and the verdict goes to the owning agent's completion queue. A failed write (disk full, I/O error) is
 * reported, never thrown, so the ring keeps moving.
 */
final class DiskHandler implements com.lmax.disruptor.EventHandler<BlockEvent>
{
    /** Hashed through a heap array (the digest takes arrays, not direct memory) in chunks that stay in L1. */
    private static final int HASH_CHUNK = BlockEvent.MAX_BLOCK;
    /** Pieces hashed incrementally at once per handler; beyond this, pieces are read back and hashed at the end. */
    private static final int MAX_DIGESTS = 4096;

    private final int shard;
    private final int shards;
    private final TorrentRegistry torrents;
    private final MessageDigest sha1 = InfoHash.newSha1();
    private final byte[] digest = new byte[20];
    private final byte[] chunk = new byte[HASH_CHUNK];
    private final java.nio.ByteBuffer chunkBuffer = java.nio.ByteBuffer.wrap(chunk);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    private final Long2ObjectHashMap<PieceDigest> digests = new Long2ObjectHashMap<>();
    private final ArrayDeque<PieceDigest> spareDigests = new ArrayDeque<>();

    DiskHandler(final int shard, final int shards, final TorrentRegistry torrents)
    {
        this.shard = shard;
        this.shards = shards;
        this.torrents = torrents;
    }

    static int shardOf(final int torrentId, final int piece, final int shards)
    {
        return (int)(((long)torrentId * 31 + piece) % shards);
    }

    @Override
    public void onEvent(final BlockEvent event, final long sequence, final boolean endOfBatch)
    {
        if (shardOf(event.torrentId, event.piece, shards) != shard)
        {
            return;
        }
        final TorrentStorage storage = torrents.storage(event.torrentId);
        if (storage == null)
        {
            return; // the torrent was removed while its blocks were in flight
        }
        final long key = ((long)event.torrentId << 32) | event.piece;
        try
        {
            storage.write(event.piece, event.begin, event.data, 0, event.length);
        }
        catch (final InternalError | RuntimeException ex)
        {
            forget(key);
            torrents.reportWriteError(event.torrentId, storage.root() + ": writing piece " + event.piece + " at " +
                event.begin + " failed (disk full?): " + ex.getMessage());
            complete(event, PieceResult.WRITE_FAILED);
            return;
        }
        final PieceDigest piece = digestFor(key, storage);
        if (piece != null && !piece.outOfOrder)
        {
            if (event.begin == piece.hashed)
            {
                event.data.getBytes(0, chunk, 0, event.length);
                piece.sha1.update(chunk, 0, event.length);
                piece.hashed += event.length;
            }
            else
            {
                piece.outOfOrder = true;
            }
        }
        if (event.completesPiece)
        {
            final boolean ok = piece != null && !piece.outOfOrder &&
                piece.hashed == storage.metainfo().pieceSize(event.piece)
                ? finish(piece.sha1, storage, event.piece)
                : verifyFromFiles(storage, event.piece);
            forget(key);
            complete(event, ok ? PieceResult.VERIFIED : PieceResult.HASH_FAILED);
        }
    }

    /** @return the piece's running digest (new if this is its first block), or null if none is free. */
    private PieceDigest digestFor(final long key, final TorrentStorage storage)
    {
        final PieceDigest existing = digests.get(key);
        if (existing != null && existing.storage == storage)
        {
            return existing;
        }
        if (existing == null && digests.size() >= MAX_DIGESTS)
        {
            return null;
        }
        final PieceDigest fresh = existing != null ? existing
            : spareDigests.isEmpty() ? new PieceDigest() : spareDigests.pop();
        digests.put(key, fresh.reset(storage));
        return fresh;
    }

    private void forget(final long key)
    {
        final PieceDigest done = digests.remove(key);
        if (done != null)
        {
            done.storage = null;
            spareDigests.push(done);
        }
    }

    private boolean finish(final MessageDigest md, final TorrentStorage storage, final int piece)
    {
        try
        {
            md.digest(digest, 0, digest.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        return storage.metainfo().pieceHashMatches(piece, digest, 0);
    }

    private boolean verifyFromFiles(final TorrentStorage storage, final int piece)
    {
        try
        {
            return storage.verifyPieceByReading(piece, sha1, digest, chunkBuffer);
        }
        catch (final InternalError | RuntimeException ex)
        {
            return false;
        }
    }

    private void complete(final BlockEvent event, final int result)
    {
        final CompletionQueue completions = torrents.completions(event.agentId);
        if (completions != null)
        {
            completions.offer(event.torrentId, event.piece, result, scratch);
        }
    }
}
