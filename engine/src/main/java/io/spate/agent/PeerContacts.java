package io.spate.agent;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The peers each torrent of an agent has heard of (tracker, PEX, by hand) and not yet dialled, and when to dial them:
 * whenever the torrent has fewer than {@link #MAX_PEERS_PER_TORRENT} connections. Addresses that are ours, banned,
 * connected or already waiting are not queued. A peer we dialled that could not be reached, or that went away, is
 * dialled again after a back-off that doubles with each failure in a row (as libtorrent keeps a fail count per peer),
 * and forgotten after {@link #MAX_FAILURES}; a handshake resets its count. Runs on the agent's thread.
 */
final class PeerContacts
{
    static final int MAX_PEERS_PER_TORRENT = 80;
    /** First retry after this long, then twice as long after each further failure in a row. */
    static final long FIRST_RETRY_NS = 15_000_000_000L;
    static final int MAX_FAILURES = 6;
    /** Sources kept per torrent: past this, a newly heard address has none recorded (the API shows it unknown). */
    static final int MAX_SOURCES_PER_TORRENT = 4096;

    private final Map<TorrentSession, ArrayDeque<InetSocketAddress>> pending = new HashMap<>();
    private final Map<TorrentSession, Map<InetSocketAddress, Retry>> retries = new HashMap<>();
    /** Where each address was first heard of (tracker, DHT, PEX, by hand), for the API's peer list. */
    private final Map<TorrentSession, Map<InetSocketAddress, PeerSource>> sources = new HashMap<>();
    private InetSocketAddress ownListenAddress;

    /** Our own listening address: a tracker or PEX may hand it back, and dialling it is a self-connection. */
    void ownListenAddress(final InetSocketAddress address)
    {
        this.ownListenAddress = address;
    }

    void add(final TorrentSession session)
    {
        pending.put(session, new ArrayDeque<>());
        retries.put(session, new HashMap<>());
        sources.put(session, new HashMap<>());
    }

    void remove(final TorrentSession session)
    {
        pending.remove(session);
        retries.remove(session);
        sources.remove(session);
    }

    /** A peer we dialled could not be reached or went away: dial it again later, or forget it after many tries. */
    void failed(final TorrentSession session, final InetSocketAddress address, final long nowNs)
    {
        final Map<InetSocketAddress, Retry> byAddress = retries.get(session);
        if (byAddress == null || session.isBanned(address))
        {
            return;
        }
        final Retry retry = byAddress.computeIfAbsent(address, a -> new Retry());
        retry.failures++;
        if (retry.failures > MAX_FAILURES)
        {
            byAddress.remove(address);
            return;
        }
        retry.dueNs = nowNs + (FIRST_RETRY_NS << (retry.failures - 1));
    }

    /** The peer completed a handshake: its failures are forgiven. */
    void reached(final TorrentSession session, final InetSocketAddress address)
    {
        final Map<InetSocketAddress, Retry> byAddress = retries.get(session);
        final Retry retry = byAddress == null ? null : byAddress.get(address);
        if (retry != null)
        {
            retry.failures = 0;
            retry.dueNs = Long.MAX_VALUE;
        }
    }

    /** Once a second: retries that are due go back to the queue. */
    void onTick(final TorrentSession session, final long nowNs)
    {
        final Map<InetSocketAddress, Retry> byAddress = retries.get(session);
        final ArrayDeque<InetSocketAddress> queue = pending.get(session);
        if (byAddress == null || byAddress.isEmpty())
        {
            return;
        }
        for (final Map.Entry<InetSocketAddress, Retry> entry : byAddress.entrySet())
        {
            final Retry retry = entry.getValue();
            if (retry.dueNs <= nowNs)
            {
                retry.dueNs = Long.MAX_VALUE; // until it fails again
                if (!queue.contains(entry.getKey()))
                {
                    queue.add(entry.getKey());
                }
            }
        }
    }

    void offer(final TorrentSession session, final List<InetSocketAddress> addresses, final PeerSource source)
    {
        final ArrayDeque<InetSocketAddress> queue = pending.get(session);
        if (queue == null)
        {
            return;
        }
        final Map<InetSocketAddress, PeerSource> heard = sources.get(session);
        for (final InetSocketAddress address : addresses)
        {
            if (heard.size() < MAX_SOURCES_PER_TORRENT || heard.containsKey(address))
            {
                heard.putIfAbsent(address, source);
            }
            if (!session.isBanned(address) && !session.isConnectedTo(address) && !queue.contains(address) &&
                !isOwn(address))
            {
                queue.add(address);
            }
        }
    }

    /** @return where we first heard of an address we dialled, or null when not recorded. */
    PeerSource sourceOf(final TorrentSession session, final InetSocketAddress address)
    {
        final Map<InetSocketAddress, PeerSource> heard = sources.get(session);
        return heard == null ? null : heard.get(address);
    }

    /** Dials queued peers while the torrent has room for more connections. */
    void dialPending(final TorrentSession session, final BiConsumer<TorrentSession, InetSocketAddress> dial)
    {
        final ArrayDeque<InetSocketAddress> queue = pending.get(session);
        while (queue != null && !queue.isEmpty() && session.peers().size() < MAX_PEERS_PER_TORRENT)
        {
            final InetSocketAddress address = queue.poll();
            if (!session.isConnectedTo(address) && !session.isBanned(address))
            {
                dial.accept(session, address);
            }
        }
    }

    private boolean isOwn(final InetSocketAddress address)
    {
        final InetSocketAddress own = ownListenAddress;
        return own != null && own.getPort() == address.getPort() && address.getAddress() != null &&
            (own.getAddress().isAnyLocalAddress() && address.getAddress().isLoopbackAddress() ||
            own.getAddress().equals(address.getAddress()));
    }

    /** A dialled peer's failures in a row and when it is next due. */
    private static final class Retry
    {
        int failures;
        long dueNs = Long.MAX_VALUE;
    }
}
