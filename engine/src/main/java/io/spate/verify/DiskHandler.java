package io.spate.verify;

import io.spate.metainfo.PieceSha1;
import io.spate.storage.TorrentStorage;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayDeque;

/**
 * One of N handlers on the block ring; each takes the blocks of the pieces in its shard, so every block of a piece is
 * handled by one thread, in the order received. Every block is written as it comes, with a positional write, and fed
 * to its piece's SHA-1 in order (see {@link PieceDigest}): the next expected block straight from where it was
 * received, a block ahead of it read back from the files (the page cache: it was just written) once the gap before
 * it fills. The block that completes a piece finishes its hash (reading the whole piece back only if a block came
 * again after it was hashed) and the verdict goes to the owning agent's completion queue. A failed write (disk full,
 * I/O error) is reported, never thrown, so the ring keeps moving.
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

    private final int shard;
    private final int shards;
    private final TorrentRegistry torrents;
    /** For pieces hashed from the files; made at first use (see {@link PieceDigest#sha1}). */
    private MessageDigest sha1;
    private final byte[] digest = new byte[20];
    private final byte[] chunk = new byte[HASH_CHUNK];
    /**
     * Where blocks are read back from the files: direct, so that no read in the engine hands the JDK's
     * {@code IOUtil.read} a heap buffer. One did, and C2 then compiled its heap-buffer path (a temporary direct
     * buffer and a copy) into every socket read of the network agent's duty cycle too: ~1.6K of its ~9.4K inlined
     * bytecodes (-XX:+LogCompilation of a swarm leecher, perf-results/memory/SUMMARY.md, 2026-12-07 06:40).
     */
    private final java.nio.ByteBuffer chunkBuffer = java.nio.ByteBuffer.allocateDirect(HASH_CHUNK);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    /** This handler's window on the block of the event in hand, wherever its memory is (see {@link BlockMemory}). */
    private final UnsafeBuffer block = new UnsafeBuffer(0, 0);
    private final Long2ObjectHashMap<PieceDigest> digests = new Long2ObjectHashMap<>();
    private final ArrayDeque<PieceDigest> spareDigests = new ArrayDeque<>();

    DiskHandler(final int shard, final int shards, final TorrentRegistry torrents)
    {
        this.shard = shard;
        this.shards = shards;
        this.torrents = torrents;
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
            // one call site for the write, so C2 inlines the write path once: with three (the block in turn, the
            // block ahead of its turn, the unhashed piece) a swarm leecher's compile of this method inlined it three
            // times and held up to 21 MiB of compiler arena (JDK 25 MemStat, perf-results/memory/SUMMARY.md)
            storage.write(event.piece, event.begin, data, event.length);
            if (piece != null && !piece.readBack)
            {
                if (event.begin == piece.hashed)
                {
                    hashInOrder(storage, event.piece, piece, data, event.length);
                }
                else if (event.begin < piece.hashed)
                {
                    piece.readBack = true; // rewritten after it was hashed: hash the piece from the files instead
                    piece.ahead.clear();
                }
                else
                {
                    piece.ahead.put(event.begin, event.length); // the later copy wins, as it does on disk
                }
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

    /**
     * Hashes the block that the piece's hash expects next (just written, from the ring's memory: in place with the
     * native SHA-1, which reads direct memory itself; through a heap array with the JDK's, whose own copy for direct
     * memory measured slower than ours, perf-results/pair/RECEIVE-COPIES.md), then the blocks
     * written ahead of it that now follow in order, read back from the files. Reading back replaced parking copies in
     * direct memory: a copy in and a copy out per block, as a read's, but parking held up to 14 MiB of a swarm leecher
     * (perf-results/memory/SUMMARY.md, 2026-12-07).
     */
    private void hashInOrder(final TorrentStorage storage, final int pieceIndex, final PieceDigest piece,
        final UnsafeBuffer block, final int blockLength)
    {
        // this handler's view of the ring's or read buffer's memory
        hash(piece, block.byteBuffer(), block.wrapAdjustment(), blockLength);
        piece.hashed += blockLength;
        if (piece.ahead.isEmpty())
        {
            return;
        }
        int length;
        while ((length = piece.ahead.remove(piece.hashed)) > 0)
        {
            chunkBuffer.clear().limit(length);
            storage.read(pieceIndex, piece.hashed, chunkBuffer);
            hash(piece, chunkBuffer, 0, length);
            piece.hashed += length;
        }
    }

    /**
     * Hashes direct memory: where it lies for the native SHA-1, through {@link #chunk} for the JDK's. The buffer's
     * bounds are reset first: the write path leaves its own limit on it, and even an absolute get checks against it.
     */
    private void hash(final PieceDigest piece, final ByteBuffer memory, final int at, final int length)
    {
        memory.clear();
        if (piece.inPlace)
        {
            piece.sha1.update(memory.position(at).limit(at + length));
        }
        else
        {
            memory.get(at, chunk, 0, length);
            piece.sha1.update(chunk, 0, length);
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
            existing.ahead.clear(); // left by a removed torrent whose id was reused
        }
        final PieceDigest fresh = existing != null ? existing
            : spareDigests.isEmpty() ? new PieceDigest() : spareDigests.pop();
        digests.put(key, fresh.reset(storage));
        return fresh;
    }

    /**
     * Drops the state of pieces whose torrent was removed (its id is free or now another torrent's): such pieces never
     * complete, and would hold their digests for good. Only when room runs out; rare.
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
                state.ahead.clear();
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
            done.ahead.clear();
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
            if (sha1 == null)
            {
                sha1 = PieceSha1.newDigest();
            }
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
