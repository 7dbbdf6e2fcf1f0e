package io.spate.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest
{
    private static final long MS = 1_000_000L;

    /** Bytes taken in 16 KiB blocks over {@code seconds} of time stepped by 1 ms, always asking. */
    private static long drain(final TokenBucket bucket, final long fromNs, final int seconds)
    {
        long taken = 0;
        for (long t = fromNs; t < fromNs + seconds * 1000 * MS; t += MS)
        {
            while (bucket.tryTake(16_384, t))
            {
                taken += 16_384;
            }
        }
        return taken;
    }

    @Test
    void overTenSecondsTheRateHoldsWithinOneBlockAndTheStartingTenth()
    {
        final TokenBucket bucket = new TokenBucket(1_000_000);
        final long taken = drain(bucket, 0, 10);
        assertTrue(taken >= 10_000_000 - 16_384 && taken <= 10_100_000 + 16_384, "took " + taken);
    }

    @Test
    void anIdleBucketHoldsAtMostOneSecondsWorth()
    {
        final TokenBucket bucket = new TokenBucket(1_000_000);
        assertTrue(bucket.tryTake(16_384, 0));
        long burst = 0;
        while (bucket.tryTake(16_384, 60_000 * MS))
        {
            burst += 16_384;
        }
        assertTrue(burst <= 1_000_000 && burst > 1_000_000 - 16_384 * 2, "burst " + burst);
        assertFalse(bucket.tryTake(16_384, 60_000 * MS + MS), "then the rate again");
    }

    @Test
    void zeroIsNoLimitAndTheRateChangesLive()
    {
        final TokenBucket bucket = new TokenBucket(0);
        assertTrue(bucket.unlimited());
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(bucket.tryTake(1 << 20, i));
        }
        bucket.rate(100_000);
        final long taken = drain(bucket, 10_000 * MS, 5);
        assertTrue(taken <= 520_000 && taken >= 480_000 - 16_384, "took " + taken);
    }

    @Test
    void tokensGivenBackCanBeTakenAgainAndANegativeRateIsRefused()
    {
        final TokenBucket bucket = new TokenBucket(16_384);
        assertTrue(bucket.tryTake(16_384, 0));
        assertFalse(bucket.tryTake(16_384, 0));
        bucket.giveBack(16_384);
        assertTrue(bucket.tryTake(16_384, 0));
        assertEquals(1_000_000_000L, bucket.nanosUntil(16_384, 0), 1_000_000L);
        assertThrows(IllegalArgumentException.class, () -> bucket.rate(-1));
    }
}
