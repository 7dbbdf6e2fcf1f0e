package io.spate.dht;

import java.util.concurrent.TimeUnit;

/**
 * One node in the routing table and what we know of its liveness, for BEP 5's states: good (answered us in the last
 * 15 minutes, or answered once and queried us in the last 15 minutes), bad (failed to answer twice in a row) or
 * questionable (neither). Owned by the DHT thread.
 */
final class RoutingEntry
{
    /** BEP 5: after 15 minutes of silence a good node becomes questionable. */
    static final long GOOD_NS = TimeUnit.MINUTES.toNanos(15);
    /** Consecutive unanswered queries that make a node bad. */
    static final int BAD_FAILURES = 2;

    final Contact contact;
    boolean everResponded;
    long lastResponseNs;
    long lastQueryNs;
    long lastPingNs;
    int failures;

    RoutingEntry(final Contact contact, final long nowNs)
    {
        this.contact = contact;
        this.lastResponseNs = nowNs;
        this.lastQueryNs = nowNs;
        this.lastPingNs = nowNs;
    }

    boolean good(final long nowNs)
    {
        return failures == 0 && everResponded &&
            (nowNs - lastResponseNs < GOOD_NS || nowNs - lastQueryNs < GOOD_NS);
    }

    boolean bad()
    {
        return failures >= BAD_FAILURES;
    }

    /** @return the last time we heard from it, either way. */
    long lastSeenNs()
    {
        return Math.max(lastResponseNs, lastQueryNs);
    }
}
