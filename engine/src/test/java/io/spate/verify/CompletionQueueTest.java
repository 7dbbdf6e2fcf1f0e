package io.spate.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Piece results from several disk handlers reach the agent each once, in each handler's order. */
class CompletionQueueTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyWritersEachResultOnceInEachWritersOrder() throws Exception
    {
        final int writers = 4;
        final int each = 200_000; // ~300 laps of the ring: writers wait on a full ring many times
        final int[] lastPiece = new int[writers];
        java.util.Arrays.fill(lastPiece, -1);
        final AtomicInteger received = new AtomicInteger();
        final CompletionQueue queue = new CompletionQueue((t, p, r) ->
        {
            assertEquals(lastPiece[t] + 1, p, "writer " + t + "'s results in order");
            assertEquals(p % 7, r);
            lastPiece[t] = p;
            received.incrementAndGet();
        }, () -> { });
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++)
        {
            final int writer = w;
            final Thread thread = new Thread(() ->
            {
                final org.agrona.concurrent.UnsafeBuffer scratch = new org.agrona.concurrent.UnsafeBuffer(new byte[16]);
                for (int p = 0; p < each; p++)
                {
                    queue.offer(writer, p, p % 7, scratch);
                }
            });
            thread.start();
            threads.add(thread);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (received.get() < writers * each && System.nanoTime() < deadline)
        {
            if (queue.drain(64) == 0)
            {
                Thread.onSpinWait();
            }
        }
        for (final Thread thread : threads)
        {
            thread.join(5_000);
            assertFalse(thread.isAlive());
        }
        assertEquals(writers * each, received.get());
        for (int w = 0; w < writers; w++)
        {
            assertEquals(each - 1, lastPiece[w]);
        }
        assertEquals(0, queue.drain(10));
    }
}
