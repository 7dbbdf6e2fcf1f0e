package io.spate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aRecorderThatNeverRecordedReportsNothingFromASmallHistogram()
    {
        final Histogram empty = new LatencyRecorder().snapshot();
        assertEquals(0, empty.getTotalCount());
        assertEquals(0, empty.getValueAtPercentile(99));
        // a daemon's /metrics asks every torrent's recorders on each scrape: an empty one must not hand out 220 KB
        assertTrue(empty.getEstimatedFootprintInBytes() < 4096, "footprint " + empty.getEstimatedFootprintInBytes());
    }

    @Test
    void valuesRecordedBeforeAndAfterASnapshotAllCount()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 1; i <= 100; i++)
        {
            recorder.record(i * MS);
        }
        assertEquals(100, recorder.snapshot().getTotalCount());
        recorder.record(500 * MS);
        final Histogram h = recorder.snapshot();
        assertEquals(101, h.getTotalCount());
        assertEquals(51 * MS, h.getValueAtPercentile(50), 0.001 * 51 * MS); // the 51st of 101
        assertEquals(500 * MS, h.getMaxValue(), 0.001 * 500 * MS);
    }

    @Test
    void valuesOutOfRangeAreClamped()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        recorder.record(3_600_000 * MS);
        final Histogram h = recorder.snapshot();
        assertEquals(2, h.getTotalCount());
        assertEquals(0, h.getMinValue());
        assertEquals(60_000 * MS, h.getMaxValue(), 0.001 * 60_000 * MS);
    }

    @Test
    void everySnapshotCountsAllValuesSoFarAndAnEarlierSnapshotStaysAsItWas()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(1 * MS);
        final Histogram first = recorder.snapshot();
        recorder.record(2 * MS);
        final Histogram second = recorder.snapshot();
        recorder.record(3 * MS);
        recorder.record(4 * MS);
        final Histogram third = recorder.snapshot();
        assertEquals(1, first.getTotalCount());
        assertEquals(2, second.getTotalCount());
        assertEquals(4, third.getTotalCount());
        assertEquals(4 * MS, third.getMaxValue(), 0.001 * 4 * MS);
    }

    @Test
    void theFirstSnapshotMakesOneFullHistogramBesidesTheCopyItHandsOut()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(5 * MS);
        final long histogram = new Histogram(60_000 * MS, 3).getEstimatedFootprintInBytes(); // ~220 KB
        final long id = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(id);
        final Histogram h = recorder.snapshot();
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(1, h.getTotalCount());
        // the recorder's next interval histogram and the copy: not a third, empty total the first interval is added to
        assertTrue(allocated < 2.5 * histogram, allocated + " bytes allocated, " + histogram + " per histogram");
    }
}
