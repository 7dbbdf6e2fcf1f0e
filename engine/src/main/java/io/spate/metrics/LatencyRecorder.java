package io.spate.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Locale;

/**
 * A latency distribution written by one agent thread and read by anyone: HdrHistogram's {@link Recorder} (wait-free
 * recording, no allocation per value) accumulated into a running total on read. Values are nanoseconds, kept with
 * 3 significant digits up to one minute.
 */
public final class LatencyRecorder
{
    private static final long MAX_NS = 60_000_000_000L;

    private final Recorder recorder = new Recorder(MAX_NS, 3);
    private final Histogram total = new Histogram(MAX_NS, 3);
    private Histogram interval;

    /** Records one latency; values outside 0..60 s are clamped. Called on the owning agent's thread. */
    public void record(final long nanos)
    {
        recorder.recordValue(Math.max(0, Math.min(nanos, MAX_NS)));
    }

    /** @return everything recorded so far (a copy). */
    public synchronized Histogram snapshot()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }

    /** @return "p50 X ms, p99 Y ms, max Z ms (n values)" for logs. */
    public String describe()
    {
        final Histogram h = snapshot();
        return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d values)",
            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
            h.getTotalCount());
    }
}
