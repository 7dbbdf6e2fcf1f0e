package io.spate.peer;

import io.spate.verify.BlockMemory;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A network agent's read buffers. A connection reads its socket into one of them and the blocks in it go to the disk
 * handlers in place ({@link io.spate.verify.BlockEvent#reference}), so a buffer that blocks were published from is not
 * written again until every handler is past them: when its connection moves on to a fresh buffer, the old one is
 * retired with the ring's cursor at that moment and comes back once the handlers have processed up to it. Owned by
 * the agent's thread; nothing is allocated once the pool has grown to the work (a buffer per connection plus those
 * whose blocks are still in the ring).
 * <p>
 * Buffers come in two sizes: a connection starts with a small one and moves on to full-size ones only once it carries
 * blocks or a frame that does not fit ({@link PeerReader}): a seed's connections carry requests, and a full-size
 * buffer each from the first read was all of a seed's 2 MiB of direct buffers (NMT, perf-results/memory/SUMMARY.md,
 * 2026-12-07 mem2).
 */
public final class ReceiveBuffers
{
    /**
     * Spare buffers kept beyond those that may wait for the handlers: every buffer reclaimed is kept up to that many,
     * since dropping them made the pool allocate (and zero) new ones all through a transfer (0.36 CPU-s per GiB in
     * BlockMemory's constructor, async-profiler, perf-results/pair/RECEIVE-COPIES.md).
     */
    private static final int EXTRA_SPARE = 16;
    /** System property overriding {@link #WAITING_BYTES}, for A/B runs against the back-pressure it brings. */
    public static final String WAITING_BYTES_PROP = "spate.receive.waiting.bytes";
    /**
     * Bytes of blocks the retired buffers of all the engine's agents together may hold for the (shared) disk handlers.
     * The pool fills whatever its cap, since the handlers are what a 2-core leecher waits on: the ring's 16 MiB per
     * agent made a swarm leecher's peak 65 MiB, 4 MiB per agent 42-44 (perf-results/memory/SUMMARY.md, 2026-12-07).
     * A pair uses one agent, and there 4 MiB cost 6-8 % of the rate against 16; 8 MiB did not (quiet machine,
     * perf-results/memory/pool-budget-20261207.txt). Shared by the agents, 8 MiB gives a pair's one agent what it needs
     * and a swarm leecher's agents no more than 4 MiB each did.
     */
    static final int WAITING_BYTES = Integer.getInteger(WAITING_BYTES_PROP, 8 << 20);
    /** Retired buffers allowed however small the ring (a seed's 2 MiB ring gives 8 too): the pool's floor before. */
    static final int MIN_RETIRED = 8;

    private final int startCapacity;
    private final int capacity;
    private final int diskHandlers;
    private final int maxRetired;
    private final int maxWaitingBytes;
    /** Bytes of the retired buffers of every agent of the engine (this pool's and the others'). */
    private final AtomicInteger waiting;
    private final LongSupplier published;
    private final LongSupplier processed;
    private final ArrayDeque<BlockMemory> spare = new ArrayDeque<>();
    private final ArrayDeque<BlockMemory> spareSmall = new ArrayDeque<>();
    /** Retired buffers, oldest first (a ring of {@link #retiredCount} from {@link #retiredHead}), each with the ring
     * sequence it waits for. */
    private BlockMemory[] retired = new BlockMemory[16];
    private long[] retiredAt = new long[16];
    private int retiredHead;
    private int retiredCount;

    /**
     * @param startCapacity bytes of a connection's first buffer (at most {@code capacity}).
     * @param capacity      bytes of a full-size buffer: the largest frame fits.
     * @param diskHandlers  views each buffer needs ({@link BlockMemory}).
     * @param maxRetired    full-size buffers' worth of bytes that may wait for the handlers at once, counted in
     *                      {@code waiting}; beyond it connections wait to read (their socket's window then slows the
     *                      peer), as they do when the ring is full.
     * @param waiting       the bytes of retired buffers this pool shares with the other agents' pools.
     * @param published     the ring's cursor: every block published so far is at or below it.
     * @param processed     the highest sequence every disk handler has processed.
     */
    public ReceiveBuffers(final int startCapacity, final int capacity, final int diskHandlers, final int maxRetired,
        final AtomicInteger waiting, final LongSupplier published, final LongSupplier processed)
    {
        if (startCapacity <= 0 || startCapacity > capacity)
        {
            throw new IllegalArgumentException("start capacity " + startCapacity + " not in 1.." + capacity);
        }
        this.startCapacity = startCapacity;
        this.capacity = capacity;
        this.diskHandlers = diskHandlers;
        this.maxRetired = maxRetired;
        this.maxWaitingBytes = (int)Math.min(Integer.MAX_VALUE, (long)maxRetired * capacity);
        this.waiting = waiting;
        this.published = published;
        this.processed = processed;
    }

    /** Buffers of one size, {@code capacity}, shared bound {@code waiting}. */
    public ReceiveBuffers(final int capacity, final int diskHandlers, final int maxRetired, final AtomicInteger waiting,
        final LongSupplier published, final LongSupplier processed)
    {
        this(capacity, capacity, diskHandlers, maxRetired, waiting, published, processed);
    }

    /** A pool of its own: {@code maxRetired} counted for this pool alone. */
    public ReceiveBuffers(final int capacity, final int diskHandlers, final int maxRetired, final LongSupplier published,
        final LongSupplier processed)
    {
        this(capacity, diskHandlers, maxRetired, new AtomicInteger(), published, processed);
    }

    /**
     * @param bufferBytes bytes per buffer.
     * @param ringBytes   bytes of blocks the verify ring holds (its slots x 16 KiB): retired buffers beyond it would
     *                    wait for the ring anyway.
     * @return buffers that may wait for the disk handlers at once, the {@code maxRetired} of the constructor.
     */
    public static int maxRetired(final int bufferBytes, final long ringBytes)
    {
        return (int)Math.max(MIN_RETIRED, Math.min(WAITING_BYTES, ringBytes) / bufferBytes);
    }

    /** @return bytes of a full-size buffer (the most one read may bring in). */
    public int capacity()
    {
        return capacity;
    }

    /** @return the ring's cursor now (a connection notes it to learn later whether blocks were published since). */
    long published()
    {
        return published.getAsLong();
    }

    /** A small buffer for a new connection: a spare one, or a new one. */
    BlockMemory first()
    {
        reclaim();
        final BlockMemory memory = spareOf(startCapacity).poll();
        return memory != null ? memory : new BlockMemory(startCapacity, diskHandlers);
    }

    /** @return a full-size buffer to move on to, or null while too many bytes wait for the disk handlers. */
    BlockMemory next()
    {
        reclaim();
        final BlockMemory memory = spare.poll();
        if (memory != null)
        {
            return memory;
        }
        // Read without a lock: two agents at the bound may each make one more, which is all the bound can be off by.
        // A pool with none of its own waiting may always make one: the bound may be held by another agent's retired
        // buffers that it has not reclaimed yet (it reclaims when it reads, and once a second), and this agent's
        // reads must not wait for that.
        return waiting.get() < maxWaitingBytes || retiredCount == 0 ? new BlockMemory(capacity, diskHandlers) : null;
    }

    /** Takes back a buffer whose blocks may still be in the ring: reused once the handlers are past {@code sequence}. */
    void retire(final BlockMemory memory, final long sequence)
    {
        if (retiredCount == retired.length)
        {
            // grows to the work once, not per read
            final BlockMemory[] buffers = new BlockMemory[retired.length * 2];
            final long[] sequences = new long[retired.length * 2];
            for (int i = 0; i < retiredCount; i++)
            {
                buffers[i] = retired[(retiredHead + i) % retired.length];
                sequences[i] = retiredAt[(retiredHead + i) % retired.length];
            }
            retired = buffers;
            retiredAt = sequences;
            retiredHead = 0;
        }
        final int tail = (retiredHead + retiredCount) % retired.length;
        retired[tail] = memory;
        retiredAt[tail] = sequence;
        retiredCount++;
        waiting.addAndGet(memory.capacity());
    }

    /** Takes back a buffer no published block refers to. */
    void release(final BlockMemory memory)
    {
        final ArrayDeque<BlockMemory> sameSize = spareOf(memory.capacity());
        if (sameSize.size() < maxRetired + EXTRA_SPARE)
        {
            sameSize.push(memory);
        }
    }

    private ArrayDeque<BlockMemory> spareOf(final int size)
    {
        return size == capacity ? spare : spareSmall;
    }

    /** @return buffers waiting for the disk handlers. */
    int retiredCount()
    {
        return retiredCount;
    }

    /**
     * Takes back the retired buffers the handlers are past, so that their share of the engine's bound frees even
     * while this agent's connections read nothing (its agent calls this once a second).
     */
    public void reclaim()
    {
        if (retiredCount == 0)
        {
            return;
        }
        final long done = processed.getAsLong();
        int reclaimedBytes = 0;
        while (retiredCount > 0 && retiredAt[retiredHead] <= done)
        {
            reclaimedBytes += retired[retiredHead].capacity();
            release(retired[retiredHead]);
            retired[retiredHead] = null;
            retiredHead = (retiredHead + 1) % retired.length;
            retiredCount--;
        }
        if (reclaimedBytes > 0)
        {
            waiting.addAndGet(-reclaimedBytes);
        }
    }
}
