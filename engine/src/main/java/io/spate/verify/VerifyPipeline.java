package io.spate.verify;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Disruptor rings between the network agents and the disk: {@code BlockReceived -> write into mapped storage}
 * on the block ring, then {@code whole piece -> SHA-1} on the hash ring, sharded over N handlers. Agents publish
 * without blocking ({@link #tryClaim}) and stop reading sockets while the ring is full, so TCP pushes back on the
 * senders. Two rings rather than one ring with dependent handlers: a Disruptor handler that waits on another
 * handler's sequence busy-spins whatever its wait strategy, which measured as 40 % of the CPU on two cores; on
 * separate rings every handler waits only on its ring's cursor and blocks (lite blocking: publishers signal only
 * when a handler sleeps), so idle costs nothing.
 */
public final class VerifyPipeline implements AutoCloseable
{
    private final Disruptor<BlockEvent> disruptor;
    private final Disruptor<PieceEvent> hashDisruptor;
    private final RingBuffer<BlockEvent> ring;
    private final TorrentRegistry torrents;

    /**
     * @param ringSize   slots (power of two); each holds a 16 KiB block buffer.
     * @param hashShards hash handler threads.
     */
    public VerifyPipeline(final int ringSize, final int hashShards, final TorrentRegistry torrents)
    {
        this.torrents = torrents;
        final ThreadFactory threads = daemonThreads();
        this.hashDisruptor = new Disruptor<>(PieceEvent::new, ringSize, threads, ProducerType.SINGLE,
            new LiteBlockingWaitStrategy());
        final HashHandler[] hashers = new HashHandler[hashShards];
        for (int i = 0; i < hashShards; i++)
        {
            hashers[i] = new HashHandler(i, hashShards, torrents);
        }
        hashDisruptor.handleEventsWith(hashers);
        final RingBuffer<PieceEvent> pieces = hashDisruptor.start();
        this.disruptor = new Disruptor<>(BlockEvent::new, ringSize, threads, ProducerType.MULTI,
            new LiteBlockingWaitStrategy());
        disruptor.handleEventsWith(new WriteHandler(torrents, pieces));
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

    public int ringSize()
    {
        return ring.getBufferSize();
    }

    /** Waits until every published block is written and verified, then stops the handler threads. */
    @Override
    public void close()
    {
        disruptor.shutdown();
        hashDisruptor.shutdown();
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
