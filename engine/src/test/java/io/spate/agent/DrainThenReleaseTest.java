package io.spate.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Removal frees a torrent's id and files only once the disk handlers hold none of its blocks, however long. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DrainThenReleaseTest
{
    @Test
    void releasesAtOnceWhenDrained() throws Exception
    {
        final AtomicInteger released = new AtomicInteger();
        final CompletableFuture<Void> removed = DrainThenRelease.run("album", timeout -> true, 1_000,
            released::incrementAndGet);
        removed.get();
        assertEquals(1, released.get());
    }

    @Test
    void aHungDiskFailsTheRemovalByNameAndReleasesOnlyOnceDrained() throws Exception
    {
        final CountDownLatch diskRecovers = new CountDownLatch(1);
        final CountDownLatch releasedLatch = new CountDownLatch(1);
        final AtomicInteger awaits = new AtomicInteger();
        final CompletableFuture<Void> removed = DrainThenRelease.run("album",
            timeout ->
            {
                awaits.incrementAndGet();
                return diskRecovers.await(timeout, TimeUnit.NANOSECONDS);
            },
            TimeUnit.MILLISECONDS.toNanos(50), releasedLatch::countDown);

        final ExecutionException ex = assertThrows(ExecutionException.class, removed::get);
        assertInstanceOf(IOException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().startsWith("album: the disk has not finished this torrent's writes"),
            ex.getCause().getMessage());
        assertFalse(releasedLatch.await(200, TimeUnit.MILLISECONDS), "released while blocks may still be written");
        assertTrue(awaits.get() >= 2, "keeps waiting after the first timeout");

        diskRecovers.countDown();
        assertTrue(releasedLatch.await(5, TimeUnit.SECONDS), "released once the disk drained");
    }
}
