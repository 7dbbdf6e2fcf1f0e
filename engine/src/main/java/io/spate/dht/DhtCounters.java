package io.spate.dht;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** The counters of one {@link DhtNode}: written by its thread, readable from any thread. */
public final class DhtCounters
{
    private final AtomicLongArray counts = new AtomicLongArray(DhtCounter.values().length);

    void increment(final DhtCounter counter)
    {
        counts.incrementAndGet(counter.ordinal());
    }

    public long get(final DhtCounter counter)
    {
        return counts.get(counter.ordinal());
    }

    /** @return packets dropped for any reason (malformed, oversized, invalid, unsolicited, rate-limited). */
    public long dropped()
    {
        return get(DhtCounter.DROPPED_MALFORMED) + get(DhtCounter.DROPPED_OVERSIZED) +
            get(DhtCounter.DROPPED_INVALID) + get(DhtCounter.DROPPED_UNSOLICITED) +
            get(DhtCounter.DROPPED_RATE_LIMITED);
    }

    /** @return the non-zero counts, for logs and JSON. */
    public Map<DhtCounter, Long> snapshot()
    {
        final Map<DhtCounter, Long> map = new EnumMap<>(DhtCounter.class);
        for (final DhtCounter counter : DhtCounter.values())
        {
            final long n = counts.get(counter.ordinal());
            if (n != 0)
            {
                map.put(counter, n);
            }
        }
        return map;
    }

    @Override
    public String toString()
    {
        return snapshot().toString();
    }
}
