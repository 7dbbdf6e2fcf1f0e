package io.spate.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionQueueTest
{
    @Test
    void drainsInOrderUpToTheLimitAcrossManyLaps()
    {
        final List<int[]> got = new ArrayList<>();
        final AtomicInteger wakeups = new AtomicInteger();
        final CompletionQueue queue = new CompletionQueue((t, p, r) -> got.add(new int[] {t, p, r}),
            wakeups::incrementAndGet);
        assertEquals(0, queue.drain(10));
        int next = 0;
        for (int lap = 0; lap < 5; lap++)
        {
            for (int i = 0; i < CompletionQueue.CAPACITY; i++)
            {
                queue.offer(lap, next + i, i & 3);
            }
            assertEquals(7, queue.drain(7));
            assertEquals(CompletionQueue.CAPACITY - 7, queue.drain(Integer.MAX_VALUE));
            assertEquals(0, queue.drain(Integer.MAX_VALUE));
            for (int i = 0; i < CompletionQueue.CAPACITY; i++)
            {
                assertArrayEquals(new int[] {lap, next + i, i & 3}, got.get(next + i));
            }
            next += CompletionQueue.CAPACITY;
        }
        assertEquals(next, wakeups.get());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyWritersEachResultOnceInEachWritersOrder() throws Exception
    {
        final int writers = 4;
        final int each = 200_000; // ~100 laps of the ring: writers wait on a full ring many times
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
                for (int p = 0; p < each; p++)
                {
                    queue.offer(writer, p, p % 7);
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

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWriterOnAFullRingWaitsForTheAgentOrItsClose() throws Exception
    {
        final AtomicInteger received = new AtomicInteger();
        final CompletionQueue queue = new CompletionQueue((t, p, r) -> received.incrementAndGet(), () -> { });
        for (int i = 0; i < CompletionQueue.CAPACITY; i++)
        {
            queue.offer(0, i, 0);
        }
        final Thread blocked = new Thread(() -> queue.offer(0, -1, 0));
        blocked.start();
        blocked.join(200);
        assertTrue(blocked.isAlive(), "a full ring holds the writer");
        assertEquals(1, queue.drain(1));
        blocked.join(5_000);
        assertFalse(blocked.isAlive(), "one slot drained lets it write");
        assertEquals(CompletionQueue.CAPACITY, queue.drain(Integer.MAX_VALUE));

        for (int i = 0; i < CompletionQueue.CAPACITY; i++)
        {
            queue.offer(0, i, 0);
        }
        final Thread dropped = new Thread(() -> queue.offer(0, -1, 0));
        dropped.start();
        dropped.join(200);
        assertTrue(dropped.isAlive());
        queue.close();
        dropped.join(5_000);
        assertFalse(dropped.isAlive(), "a closed queue lets a writer on a full ring go");
        assertEquals(CompletionQueue.CAPACITY, queue.drain(Integer.MAX_VALUE), "the result with no room is dropped");
        assertEquals(2 * CompletionQueue.CAPACITY + 1, received.get());
    }
}
