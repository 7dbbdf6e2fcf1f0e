package io.spate.peer;

import io.spate.verify.BlockMemory;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's size (what may wait for the disk handlers) and its reuse of buffers once the handlers are past them. */
final class ReceiveBuffersTest
{
    private static final int KIB = 1024;
    private static final int BUFFER = 256 * KIB;

    private long published;
    private long processed;

    @Test
    void aLeechersRingOf16MiBLetsOnly8MiBOfBuffersWaitForTheDiskHandlers()
    {
        assertEquals(32, ReceiveBuffers.maxRetired(BUFFER, 1024L * 16 * KIB));
        assertEquals(32, ReceiveBuffers.maxRetired(BUFFER, 65_536L * 16 * KIB));
    }

    @Test
    void aSmallRingBoundsThePoolButEveryAgentKeepsAFloorOfBuffers()
    {
        assertEquals(8, ReceiveBuffers.maxRetired(BUFFER, 128L * 16 * KIB)); // a seed's ring on 2 cores: 2 MiB
        assertEquals(8, ReceiveBuffers.maxRetired(BUFFER, 64L * 16 * KIB));
        assertEquals(128, ReceiveBuffers.maxRetired(64 * KIB, 1024L * 16 * KIB)); // smaller buffers: more of them
    }

    @Test
    void readsWaitOnceMaxRetiredBuffersWaitForTheHandlersAndGoOnWhenTheHandlersCatchUp()
    {
        final int maxRetired = 3;
        final ReceiveBuffers buffers = new ReceiveBuffers(4 * KIB, 1, maxRetired, () -> published, () -> processed);
        final Set<BlockMemory> made = new HashSet<>();
        BlockMemory current = buffers.first();
        made.add(current);
        for (int i = 0; i < maxRetired; i++)
        {
            published++; // a block from the current buffer went into the ring; the connection moves on (PeerReader)
            final BlockMemory fresh = buffers.next();
            assertNotNull(fresh, "buffer " + (i + 1) + " while " + i + " wait");
            assertTrue(made.add(fresh), "a buffer still waiting for the handlers was handed out again");
            buffers.retire(current, published);
            current = fresh;
        }
        published++;
        assertEquals(maxRetired, buffers.retiredCount());
        assertNull(buffers.next(), "a new buffer while " + maxRetired + " wait for the handlers");

        processed = 1; // the handlers are past the first retired buffer's blocks only
        final BlockMemory reused = buffers.next();
        assertNotNull(reused);
        assertTrue(made.contains(reused), "a reclaimed buffer is reused, not a new one made");
        assertEquals(maxRetired - 1, buffers.retiredCount());
        buffers.retire(current, published);
        assertNull(buffers.next(), "the handlers are still behind the other retired buffers");

        processed = published;
        assertNotNull(buffers.next());
        assertEquals(0, buffers.retiredCount());
    }

    @Test
    void theAgentsPoolsShareOneBoundSinceTheyWaitForTheSameHandlers()
    {
        final AtomicInteger waiting = new AtomicInteger();
        final ReceiveBuffers busy = new ReceiveBuffers(4 * KIB, 1, 2, waiting, () -> published, () -> processed);
        final ReceiveBuffers other = new ReceiveBuffers(4 * KIB, 1, 2, waiting, () -> published, () -> processed);
        BlockMemory current = busy.first();
        for (int i = 0; i < 2; i++)
        {
            published++;
            final BlockMemory fresh = busy.next();
            busy.retire(current, published);
            current = fresh;
        }
        final BlockMemory othersFirst = other.first(); // a connection always gets its one buffer
        published++;
        assertNotNull(other.next(), "one of its own to wait, whatever the others hold");
        other.retire(othersFirst, published);
        assertEquals(3 * 4 * KIB, waiting.get(), "bytes of the buffers that wait");
        assertNull(other.next(), "the other agent's pool made a second buffer while the bound is held");

        processed = published; // the handlers caught up: the busy pool's reclaim frees the shared bound
        assertNotNull(busy.next());
        assertEquals(4 * KIB, waiting.get());
        assertNotNull(other.next());
        assertEquals(0, waiting.get());
    }

    @Test
    void anIdleAgentsRetiredBuffersNeverStopAnotherAgentsReads()
    {
        final AtomicInteger waiting = new AtomicInteger();
        final ReceiveBuffers idle = new ReceiveBuffers(4 * KIB, 1, 2, waiting, () -> published, () -> processed);
        final ReceiveBuffers reading = new ReceiveBuffers(4 * KIB, 1, 2, waiting, () -> published, () -> processed);
        BlockMemory current = idle.first();
        for (int i = 0; i < 2; i++)
        {
            published++;
            final BlockMemory fresh = idle.next();
            idle.retire(current, published);
            current = fresh;
        }
        processed = published; // the handlers are done, but the idle agent has not read since: the bound is held

        final BlockMemory readingFirst = reading.first();
        published++;
        final BlockMemory second = reading.next();
        assertNotNull(second, "a pool with none of its own waiting may always move on");
        reading.retire(readingFirst, published);
        assertNull(reading.next(), "beyond that one, the shared bound holds");

        idle.reclaim(); // its agent's once-a-second tick
        assertEquals(4 * KIB, waiting.get());
        assertNotNull(reading.next());
    }

    @Test
    void aBufferNoBlockWasPublishedFromIsReusedAtOnce()
    {
        final ReceiveBuffers buffers = new ReceiveBuffers(4 * KIB, 1, 1, () -> published, () -> processed);
        final BlockMemory first = buffers.first();
        buffers.release(first);
        assertSame(first, buffers.first());
    }

    @Test
    void aConnectionStartsWithASmallBufferAndMovesOnToFullSizeOnes()
    {
        final ReceiveBuffers buffers = new ReceiveBuffers(16 * KIB, 64 * KIB, 1, 2, new AtomicInteger(),
            () -> published, () -> processed);
        assertEquals(16 * KIB, buffers.first().capacity());
        assertEquals(64 * KIB, buffers.next().capacity());
        assertEquals(64 * KIB, buffers.capacity(), "a read may bring in a full-size buffer's bytes");
    }

    @Test
    void theBoundCountsBytesSoSmallBuffersWeighLess()
    {
        final AtomicInteger waiting = new AtomicInteger();
        // the bound: two full-size buffers' bytes (128 KiB)
        final ReceiveBuffers buffers = new ReceiveBuffers(16 * KIB, 64 * KIB, 1, 2, waiting, () -> published,
            () -> processed);
        published++;
        buffers.retire(buffers.first(), published); // four connections left their small buffers with blocks in them
        buffers.retire(buffers.first(), published);
        buffers.retire(buffers.first(), published);
        buffers.retire(buffers.first(), published);
        assertEquals(64 * KIB, waiting.get());
        final BlockMemory full = buffers.next();
        assertNotNull(full, "64 KiB wait: one more full-size buffer may");
        buffers.retire(full, published);
        assertEquals(128 * KIB, waiting.get());
        assertNull(buffers.next(), "128 KiB wait");

        processed = published;
        assertSame(full, buffers.next(), "reclaimed small buffers are not handed out as full-size ones");
        assertEquals(0, waiting.get());
        assertEquals(16 * KIB, buffers.first().capacity());
    }

    @Test
    void aReleasedBufferComesBackAsItsOwnSize()
    {
        final ReceiveBuffers buffers = new ReceiveBuffers(16 * KIB, 64 * KIB, 1, 2, new AtomicInteger(),
            () -> published, () -> processed);
        final BlockMemory small = buffers.first();
        final BlockMemory full = buffers.next();
        buffers.release(small);
        buffers.release(full);
        assertSame(full, buffers.next());
        assertSame(small, buffers.first());
    }
}
