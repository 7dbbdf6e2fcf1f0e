package io.spate.tracker.client;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A tracker's successful announce reply.
 *
 * @param intervalSeconds    seconds to wait before the next regular announce.
 * @param minIntervalSeconds {@code min interval}, or -1 if the tracker gave none.
 * @param complete           seeds in the swarm, or -1 if not given.
 * @param incomplete         leechers in the swarm, or -1 if not given.
 * @param peers              peers from {@code peers} (compact or dictionary form) then {@code peers6}; addresses
 *                           given as host names are left unresolved.
 * @param warningMessage     the tracker's {@code warning message}, or null.
 */
public record AnnounceResponse(
    int intervalSeconds,
    int minIntervalSeconds,
    int complete,
    int incomplete,
    List<InetSocketAddress> peers,
    String warningMessage)
{
    public AnnounceResponse
    {
        peers = List.copyOf(peers);
    }
}
