package io.spate.metrics;

import io.spate.peer.CloseReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Connections closed, by reason, across the engine: hostile and broken peers show up here. Any thread may read. */
public final class CloseCounters
{
    private final AtomicLongArray counts = new AtomicLongArray(CloseReason.values().length);

    public void increment(final CloseReason reason)
    {
        counts.incrementAndGet(reason.ordinal());
    }

    public long get(final CloseReason reason)
    {
        return counts.get(reason.ordinal());
    }

    /** @return the non-zero counts, for logs and JSON. */
    public Map<CloseReason, Long> snapshot()
    {
        final Map<CloseReason, Long> map = new EnumMap<>(CloseReason.class);
        for (final CloseReason reason : CloseReason.values())
        {
            final long n = counts.get(reason.ordinal());
            if (n != 0)
            {
                map.put(reason, n);
            }
        }
        return map;
    }
}
