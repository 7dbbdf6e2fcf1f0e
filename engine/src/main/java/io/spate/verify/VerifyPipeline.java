package io.spate.verify;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Disruptor ring between the network agents and the disk. Agents publish received blocks; N {@link DiskHandler}s,
 * each owning a shard of the pieces, write them into the files, SHA-1 each piece as its blocks pass, and hand the
 * verdict back to the owning agent. Agents publish without blocking ({@link #tryClaim}) and stop reading sockets
 * while the ring is full, so TCP pushes back on the senders.
 * <p>
 * One ring of independent handlers: an earlier layout with dependent handlers (write, then hash) made the waiting
 * handler busy-spin whatever the wait strategy (40 % of the CPU on two cores), and a later one with a second ring for
 * hashing read every piece back from the page cache; sharding by piece keeps each piece's events on one thread, in
 * order, with no handler waiting on another. Lite blocking wait: publishers signal only when a handler sleeps, so
 * idle costs nothing.
 */
public final class VerifyPipeline implements AutoCloseable
{
    private final AtomicInteger waitingReadBuffers = new AtomicInteger();
    private final Disruptor<BlockEvent> disruptor;
    private final RingBuffer<BlockEvent> ring;
    private final TorrentRegistry torrents;
    private final int diskHandlers;

    /**
     * @param ringSize     slots (power of two); each refers to a received block, or holds one copied in.
     * @param diskHandlers handler threads, each writing and hashing its shard of the pieces.
     */
    public VerifyPipeline(final int ringSize, final int diskHandlers, final TorrentRegistry torrents)
    {
        this.torrents = torrents;
        this.diskHandlers = diskHandlers;
        // no block memory up front: blocks from peers stay in the connections' read buffers (BlockEvent)
        this.disruptor = new Disruptor<>(() -> new BlockEvent(diskHandlers),
            ringSize, daemonThreads(), ProducerType.MULTI, new LiteBlockingWaitStrategy());
        final DiskHandler[] handlers = new DiskHandler[diskHandlers];
        for (int i = 0; i < diskHandlers; i++)
        {
            handlers[i] = new DiskHandler(i, diskHandlers, torrents);
        }
        disruptor.handleEventsWith(handlers);
        this.ring = disruptor.start();
    }

    public TorrentRegistry torrents()
    {
        return torrents;
    }

    /** @return true if at least {@code slots} events can be claimed now. */
    public boolean hasCapacity(final int slots)
    {
        return ring.hasAvailableCapacity(slots);
    }

    /** @return a claimed sequence, or -1 if the ring is full (the caller backs off; nothing blocks). */
    public long tryClaim()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return -1;
        }
    }

    /** Claims a slot, waiting for one if the ring is full (rare: agents check {@link #hasCapacity} first). */
    public long claim()
    {
        return ring.next();
    }

    public BlockEvent event(final long sequence)
    {
        return ring.get(sequence);
    }

    public void publish(final long sequence)
    {
        ring.publish(sequence);
    }

    /**
     * @return the highest sequence every handler has processed: memory a block published at or below it referenced
     * ({@link BlockEvent#reference}) is free again.
     */
    public long processedUpTo()
    {
        return ring.getMinimumGatingSequence();
    }

    /** @return the disk handler threads, each of which needs its own view of block memory ({@link BlockMemory}). */
    public int diskHandlers()
    {
        return diskHandlers;
    }

    /** @return the highest sequence claimed so far: every event published before this call is at or below it. */
    public long cursor()
    {
        return ring.getCursor();
    }

    /**
     * Waits until every handler has processed {@code sequence} (so no event published before it is still in the ring),
     * or until the timeout; control path only.
     *
     * @return true if processed in time.
     */
    public boolean awaitProcessed(final long sequence, final long timeoutNs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (ring.getMinimumGatingSequence() < sequence)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    public int ringSize()
    {
        return ring.getBufferSize();
    }

    /**
     * @return the bytes of read buffers, over all the engine's network agents, that hold blocks published into this
     * ring and not yet processed: the agents' pools share one bound, since the handlers they wait for are shared.
     */
    public AtomicInteger waitingReadBuffers()
    {
        return waitingReadBuffers;
    }

    /** Waits until every published block is written and verified, then stops the handler threads. */
    @Override
    public void close()
    {
        disruptor.shutdown();
    }

    private static ThreadFactory daemonThreads()
    {
        final AtomicInteger count = new AtomicInteger();
        return r ->
        {
            final Thread t = new Thread(r, "spate-verify-" + count.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
