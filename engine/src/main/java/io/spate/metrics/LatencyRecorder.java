package io.spate.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Locale;

/**
 * A latency distribution written by one agent thread and read by anyone: HdrHistogram's {@link Recorder} (wait-free
 * recording, no allocation per value) accumulated into a running total on read. Values are nanoseconds, kept with
 * 3 significant digits up to one minute. Nothing is allocated until the first value: each histogram of this range
 * holds about 220 KB of counts, and a daemon keeps two recorders per torrent, most of which never record a value (a
 * seed requests nothing and verifies nothing): 300 seeding torrents held 254 MiB of empty counts, so 10,000 would
 * have needed 8 GiB (perf-results/service/seedbox.md).
 */
public final class LatencyRecorder
{
    private static final long MAX_NS = 60_000_000_000L;
    private static final int DIGITS = 3;

    /** Null until the first value. */
    private volatile Recorder recorder;
    private Histogram total;
    private Histogram interval;

    /** Records one latency; values outside 0..60 s are clamped. Called on the owning agent's thread. */
    public void record(final long nanos)
    {
        Recorder r = recorder;
        if (r == null)
        {
            r = create();
        }
        r.recordValue(Math.max(0, Math.min(nanos, MAX_NS)));
    }

    private synchronized Recorder create()
    {
        if (recorder == null)
        {
            recorder = new Recorder(MAX_NS, DIGITS);
        }
        return recorder;
    }

    /** @return everything recorded so far (a copy; a small empty histogram while nothing was recorded). */
    public synchronized Histogram snapshot()
    {
        final Recorder r = recorder;
        if (r == null)
        {
            return new Histogram(2, 0);
        }
        if (total == null)
        {
            // the first interval is everything so far: it becomes the total, instead of a new empty one (~220 KB
            // zeroed) it is added into
            total = r.getIntervalHistogram();
        }
        else
        {
            interval = r.getIntervalHistogram(interval);
            total.add(interval);
        }
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
