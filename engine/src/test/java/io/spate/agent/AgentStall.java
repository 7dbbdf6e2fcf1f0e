package io.spate.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes a network agent stop answering, as a bug that loops on its thread would: a command that neither returns nor
 * yields to interrupts until {@link #close}. For tests of the bounds that catch such an agent.
 */
public final class AgentStall implements AutoCloseable
{
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean released;

    private AgentStall()
    {
    }

    /** Stalls the agent that owns {@code torrent}; returns once its thread is in the stall. */
    public static AgentStall of(final TorrentHandle torrent) throws InterruptedException
    {
        return of(torrent.agent());
    }

    static AgentStall of(final NetworkAgent agent) throws InterruptedException
    {
        final AgentStall stall = new AgentStall();
        agent.offer(stall::hold);
        if (!stall.started.await(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("agent " + agent.roleName() + " did not take the stall");
        }
        return stall;
    }

    private void hold()
    {
        started.countDown();
        while (!released)
        {
            Thread.interrupted(); // ignored, as an uninterruptible loop would
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Lets the agent go on. */
    @Override
    public void close()
    {
        released = true;
    }
}
