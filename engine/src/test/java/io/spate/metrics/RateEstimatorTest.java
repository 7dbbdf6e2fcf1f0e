package io.spate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateEstimatorTest
{
    private static final long MS = 1_000_000L;

    @Test
    void steadyRateIsMeasuredExactly()
    {
        final RateEstimator rate = new RateEstimator(5_000 * MS, 10);
        rate.start(0);
        // 1 MB/s as 1,000 bytes every millisecond for 20 s
        for (long t = 0; t < 20_000; t++)
        {
            rate.record(1_000, t * MS);
        }
        final long measured = rate.rate(20_000 * MS);
        assertTrue(Math.abs(measured - 1_000_000) <= 1_000, "measured " + measured);
        assertEquals(20_000_000, rate.total());
    }

    @Test
    void youngEstimatorIsNotDilutedByTheWholeWindow()
    {
        final RateEstimator rate = new RateEstimator(5_000 * MS, 10);
        rate.start(0);
        rate.record(500_000, 400 * MS);
        rate.record(500_000, 900 * MS);
        assertEquals(1_000_000, rate.rate(1_000 * MS), "1 MB in the first second");
    }

    @Test
    void oldBytesLeaveTheWindow()
    {
        final RateEstimator rate = new RateEstimator(2_000 * MS, 4);
        rate.record(1_000_000, 0);
        assertTrue(rate.rate(1_000 * MS) > 0);
        assertEquals(0, rate.rate(2_600 * MS));
        assertEquals(0, rate.rate(100_000 * MS));
        rate.record(10_000, 100_000 * MS);
        assertEquals(10_000 * 1_000_000_000L / (1_500 * MS), rate.rate(100_000 * MS),
            "3 whole buckets of 500 ms behind the current one, which has just begun");
    }

    @Test
    void stoppedTransferDecaysToZero()
    {
        final RateEstimator rate = new RateEstimator(5_000 * MS, 10);
        for (long t = 0; t < 10_000; t += 10)
        {
            rate.record(10_000, t * MS);
        }
        final long running = rate.rate(10_000 * MS);
        final long halfGone = rate.rate(12_500 * MS);
        assertTrue(halfGone < running * 6 / 10 && halfGone > running * 4 / 10, running + " then " + halfGone);
        assertEquals(0, rate.rate(15_600 * MS));
    }

    @Test
    void nothingRecordedIsZeroAndResetForgets()
    {
        final RateEstimator rate = new RateEstimator();
        assertEquals(0, rate.rate(123));
        rate.record(100, 0);
        rate.reset();
        assertEquals(0, rate.rate(MS));
        assertEquals(0, rate.total());
        assertThrows(IllegalArgumentException.class, () -> new RateEstimator(5, 10));
    }

    @Test
    void negativeClockValuesWork()
    {
        final RateEstimator rate = new RateEstimator(1_000 * MS, 4);
        rate.start(-3_000 * MS);
        for (long t = -3_000; t < 0; t += 10)
        {
            rate.record(10, t * MS);
        }
        assertEquals(1_000, rate.rate(0));
    }
}
