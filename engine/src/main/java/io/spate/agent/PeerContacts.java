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
 * connected or already waiting are not queued. Runs on the agent's thread.
 */
final class PeerContacts
{
    static final int MAX_PEERS_PER_TORRENT = 80;

    private final Map<TorrentSession, ArrayDeque<InetSocketAddress>> pending = new HashMap<>();
    private InetSocketAddress ownListenAddress;

    /** Our own listening address: a tracker or PEX may hand it back, and dialling it is a self-connection. */
    void ownListenAddress(final InetSocketAddress address)
    {
        this.ownListenAddress = address;
    }

    void add(final TorrentSession session)
    {
        pending.put(session, new ArrayDeque<>());
    }

    void remove(final TorrentSession session)
    {
        pending.remove(session);
    }

    void offer(final TorrentSession session, final List<InetSocketAddress> addresses)
    {
        final ArrayDeque<InetSocketAddress> queue = pending.get(session);
        if (queue == null)
        {
            return;
        }
        for (final InetSocketAddress address : addresses)
        {
            if (!session.isBanned(address) && !session.isConnectedTo(address) && !queue.contains(address) &&
                !isOwn(address))
            {
                queue.add(address);
            }
        }
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
}
