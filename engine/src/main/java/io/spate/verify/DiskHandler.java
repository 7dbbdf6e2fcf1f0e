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
 * handled by one thread, in the order received. Blocks are written with positional writes and fed to their piece's
 * SHA-1 in order (see {@link PieceDigest}): the next expected block straight from the ring slot, a block ahead of it
 * parked ({@link ParkedBlocks}) until the gap fills. The block that completes a piece finishes its hash (reading the
 * piece back from the files only if parking ran out) and the verdict goes to the owning agent's completion queue. A
 * failed write (disk full, I/O error) is reported, never thrown, so the ring keeps moving.
 */
final class DiskHandler implements com.lmax.disruptor.EventHandler<BlockEvent>
{
    /** Hashed through a heap array (the digest takes arrays, not direct memory) in chunks that stay in L1. */
    private static final int HASH_CHUNK = BlockEvent.MAX_BLOCK;
    /** Pieces hashed incrementally at once per handler; beyond this, pieces are read back and hashed at the end. */
    private static final int MAX_DIGESTS = 4096;
    /**
     * Digests made with the handler, so the spare pool does not run dry once C2 has compiled {@link #onEvent}: its
     * first empty pool mid-transfer (more pieces in flight as the request queue grew) was an uncommon trap and a
     * 0.19 s recompile of the whole handler (-XX:+LogCompilation, 1 GiB pair). 64 cover every piece in flight at
     * 256 KiB pieces and up; smaller pieces grow the pool as before.
     */
    private static final int PREALLOCATED_DIGESTS = 64;
    /** Parking slots of 16 KiB shared by all handlers (16 MiB), at least 64 per handler. */
    private static final int PARKING_SLOTS = 1024;

    private final int shard;
    private final int shards;
    private final TorrentRegistry torrents;
    private final MessageDigest sha1 = InfoHash.newSha1();
    private final byte[] digest = new byte[20];
    private final byte[] chunk = new byte[HASH_CHUNK];
    private final java.nio.ByteBuffer chunkBuffer = java.nio.ByteBuffer.wrap(chunk);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    /** This handler's window on the block of the event in hand, wherever its memory is (see {@link BlockMemory}). */
    private final UnsafeBuffer block = new UnsafeBuffer(0, 0);
    private final Long2ObjectHashMap<PieceDigest> digests = new Long2ObjectHashMap<>();
    private final ArrayDeque<PieceDigest> spareDigests = new ArrayDeque<>();
    private final ParkedBlocks parking;

    DiskHandler(final int shard, final int shards, final TorrentRegistry torrents)
    {
        this.shard = shard;
        this.shards = shards;
        this.torrents = torrents;
        this.parking = new ParkedBlocks(Math.max(64, PARKING_SLOTS / shards));
        for (int i = 0; i < PREALLOCATED_DIGESTS; i++)
        {
            spareDigests.push(new PieceDigest());
        }
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
        final PieceDigest piece = digestFor(key, storage);
        final UnsafeBuffer data = block;
        data.wrap(event.memory.handlerView(shard), event.offset, event.length);
        try
        {
            if (piece == null || piece.readBack)
            {
                storage.write(event.piece, event.begin, data, event.length);
            }
            else if (event.begin == piece.hashed)
            {
                hashInOrder(storage, event.piece, piece, data, event.length);
            }
            else if (event.begin < piece.hashed || !park(piece, event.begin, data, event.length))
            {
                // a block rewritten after it was hashed, or no room to park: hash the piece from the files instead
                storage.write(event.piece, event.begin, data, event.length);
                flushParked(storage, event.piece, piece);
                piece.readBack = true;
            }
            if (event.completesPiece && piece != null)
            {
                flushParked(storage, event.piece, piece); // nothing is left parked when every block came
            }
        }
        catch (final InternalError | RuntimeException ex)
        {
            forget(key);
            torrents.reportWriteError(event.torrentId, storage.root() + ": writing piece " + event.piece + " at " +
                event.begin + " failed (disk full?): " + ex.getMessage());
            complete(event, PieceResult.WRITE_FAILED);
            return;
        }
        if (event.completesPiece)
        {
            final boolean ok = piece != null && !piece.readBack &&
                piece.hashed == storage.metainfo().pieceSize(event.piece)
                ? finish(piece.sha1, storage, event.piece)
                : verifyFromFiles(storage, event.piece);
            forget(key);
            complete(event, ok ? PieceResult.VERIFIED : PieceResult.HASH_FAILED);
        }
    }

    private boolean park(final PieceDigest piece, final int begin, final UnsafeBuffer data, final int length)
    {
        int slot = parking.park(data, length);
        if (slot < 0 && evictStale())
        {
            slot = parking.park(data, length);
        }
        if (slot < 0)
        {
            return false;
        }
        final int replaced = piece.parked.put(begin, slot);
        if (replaced >= 0)
        {
            parking.release(replaced); // the same block parked twice: the later copy wins, as it would on disk
        }
        return true;
    }

    /**
     * Writes and hashes the block that the piece's hash expects next, then the parked blocks that now follow it in
     * order. One call site for the write-and-hash step, so C2 inlines it once (with a second site for the parked
     * blocks, the handler's compile took ~0.6 s in the middle of a 1 GiB leech; perf-results/jit/).
     */
    private void hashInOrder(final TorrentStorage storage, final int pieceIndex, final PieceDigest piece,
        final UnsafeBuffer block, final int blockLength)
    {
        UnsafeBuffer data = block;
        int length = blockLength;
        int slot = -1;
        while (true)
        {
            // the loop starts with this cheap test, not the write: with the write as the loop's first block, C2's
            // compile log still showed it inlined twice (C2 can clone a loop's head block)
            if (slot >= 0)
            {
                data = parking.data(slot);
                length = parking.length(slot);
            }
            try
            {
                storage.write(pieceIndex, piece.hashed, data, length);
                data.getBytes(0, chunk, 0, length);
                piece.sha1.update(chunk, 0, length);
                piece.hashed += length;
            }
            finally
            {
                if (slot >= 0)
                {
                    parking.release(slot);
                }
            }
            slot = piece.unpark(piece.hashed);
            if (slot < 0)
            {
                return;
            }
        }
    }

    /** Writes every parked block of the piece where it belongs (the piece will be read back and hashed). */
    private void flushParked(final TorrentStorage storage, final int pieceIndex, final PieceDigest piece)
    {
        if (piece.parked.isEmpty())
        {
            return;
        }
        try
        {
            piece.parked.forEachInt((offset, slot) ->
                storage.write(pieceIndex, offset, parking.data(slot), parking.length(slot)));
        }
        finally
        {
            piece.dropParked(parking);
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
        if (existing == null && digests.size() >= MAX_DIGESTS && (!evictStale() || digests.size() >= MAX_DIGESTS))
        {
            return null;
        }
        if (existing != null)
        {
            existing.dropParked(parking); // left by a removed torrent whose id was reused
        }
        final PieceDigest fresh = existing != null ? existing
            : spareDigests.isEmpty() ? new PieceDigest() : spareDigests.pop();
        digests.put(key, fresh.reset(storage));
        return fresh;
    }

    /**
     * Drops the state of pieces whose torrent was removed (its id is free or now another torrent's): such pieces never
     * complete, and would hold their digests and parked blocks for good. Only when room runs out; rare.
     *
     * @return true if anything was dropped.
     */
    private boolean evictStale()
    {
        boolean dropped = false;
        final Long2ObjectHashMap<PieceDigest>.EntryIterator entries = digests.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            final PieceDigest state = entries.getValue();
            if (torrents.storage((int)(entries.getLongKey() >>> 32)) != state.storage)
            {
                entries.remove();
                state.dropParked(parking);
                state.storage = null;
                spareDigests.push(state);
                dropped = true;
            }
        }
        return dropped;
    }

    private void forget(final long key)
    {
        final PieceDigest done = digests.remove(key);
        if (done != null)
        {
            done.dropParked(parking);
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
