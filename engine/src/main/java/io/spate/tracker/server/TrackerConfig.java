package io.spate.tracker.server;

/**
 * Settings of a tracker, validated on construction.
 *
 * @param intervalSeconds    re-announce interval sent to peers; a peer silent for twice this long expires.
 * @param minIntervalSeconds {@code min interval} sent to peers (at most {@code intervalSeconds}).
 * @param maxSwarms          most swarms held at once; announces that would create more are refused and counted.
 * @param maxPeersPerSwarm   most peers in one swarm; new peers beyond it are refused and counted.
 * @param whitelist          the only info-hashes served, or null to serve any.
 * @param trustIpParam       whether an announce's {@code ip} parameter replaces the connection's source address.
 */
public record TrackerConfig(
    int intervalSeconds,
    int minIntervalSeconds,
    int maxSwarms,
    int maxPeersPerSwarm,
    Whitelist whitelist,
    boolean trustIpParam)
{
    public static final int DEFAULT_INTERVAL_SECONDS = 1800;
    public static final int DEFAULT_MAX_SWARMS = 100_000;
    public static final int DEFAULT_MAX_PEERS_PER_SWARM = 100_000;

    public TrackerConfig
    {
        if (intervalSeconds < 1 || intervalSeconds > 86_400)
        {
            throw new IllegalArgumentException("interval must be 1..86400 seconds, got " + intervalSeconds);
        }
        if (minIntervalSeconds < 1 || minIntervalSeconds > intervalSeconds)
        {
            throw new IllegalArgumentException("min interval must be 1..interval, got " + minIntervalSeconds);
        }
        if (maxSwarms < 1 || maxPeersPerSwarm < 1)
        {
            throw new IllegalArgumentException("max swarms and max peers per swarm must be positive");
        }
    }

    /** Defaults: 1800 s interval, min interval half of it, 100,000 swarms of up to 100,000 peers, no whitelist. */
    public static TrackerConfig defaults()
    {
        return withInterval(DEFAULT_INTERVAL_SECONDS);
    }

    public static TrackerConfig withInterval(final int intervalSeconds)
    {
        return new TrackerConfig(intervalSeconds, Math.max(1, intervalSeconds / 2), DEFAULT_MAX_SWARMS,
            DEFAULT_MAX_PEERS_PER_SWARM, null, false);
    }

    public TrackerConfig whitelist(final Whitelist list)
    {
        return new TrackerConfig(intervalSeconds, minIntervalSeconds, maxSwarms, maxPeersPerSwarm, list, trustIpParam);
    }

    public TrackerConfig trustIpParam(final boolean trust)
    {
        return new TrackerConfig(intervalSeconds, minIntervalSeconds, maxSwarms, maxPeersPerSwarm, whitelist, trust);
    }

    public TrackerConfig limits(final int swarms, final int peersPerSwarm)
    {
        return new TrackerConfig(intervalSeconds, minIntervalSeconds, swarms, peersPerSwarm, whitelist, trustIpParam);
    }

    /** @return how long a peer stays listed without re-announcing, in milliseconds (2 x interval). */
    public long peerTimeoutMs()
    {
        return 2_000L * intervalSeconds;
    }
}
