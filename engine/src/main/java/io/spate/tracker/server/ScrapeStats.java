package io.spate.tracker.server;

/** Counts of one swarm for a scrape (BEP 48); reusable, filled in by {@link SwarmRegistry#scrape}. */
public final class ScrapeStats
{
    int complete;
    int incomplete;
    long downloaded;

    /** @return seeds now in the swarm. */
    public int complete()
    {
        return complete;
    }

    /** @return leechers now in the swarm. */
    public int incomplete()
    {
        return incomplete;
    }

    /** @return {@code completed} events seen since the swarm was created. */
    public long downloaded()
    {
        return downloaded;
    }
}
