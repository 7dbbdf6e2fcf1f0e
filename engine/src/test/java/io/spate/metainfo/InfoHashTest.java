package io.spate.metainfo;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** newSha1's digests (clones of one prototype) are each fresh and independent, on any thread. */
class InfoHashTest
{
    @Test
    void aFreshDigestHashesTheKnownVectors()
    {
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d",
            InfoHash.hex(InfoHash.newSha1().digest("abc".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", InfoHash.hex(InfoHash.newSha1().digest()));
    }

    @Test
    void digestsDoNotShareState()
    {
        final MessageDigest a = InfoHash.newSha1();
        final MessageDigest b = InfoHash.newSha1();
        assertNotSame(a, b);
        a.update("ab".getBytes(StandardCharsets.US_ASCII)); // half-done in a: nothing of it may show in b
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", InfoHash.hex(b.digest()));
        a.update((byte)'c');
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", InfoHash.hex(a.digest()));
    }

    @Test
    void digestsMadeOnManyThreadsAtOnceAreRight() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++)
            {
                final int thread = t;
                done.add(pool.submit(() ->
                {
                    for (int i = 0; i < 2000; i++)
                    {
                        final byte[] data = ("thread " + thread + " input " + i).getBytes(StandardCharsets.UTF_8);
                        final MessageDigest md = InfoHash.newSha1();
                        md.update(data, 0, 3);
                        md.update(data, 3, data.length - 3);
                        assertArrayEquals(reference(data), md.digest(), "thread " + thread + " input " + i);
                    }
                    return null;
                }));
            }
            for (final Future<?> f : done)
            {
                f.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static byte[] reference(final byte[] data)
    {
        try
        {
            return MessageDigest.getInstance("SHA-1").digest(data);
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
