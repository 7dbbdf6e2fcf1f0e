package io.spate.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Who a torrent keeps out. A banned peer's host is banned (as libtorrent bans by IP), so it cannot come back by
 * dialling us from a new port, nor be dialled at another; its peer id too, for what it is worth. A host on this
 * machine (loopback: local swarms, tests) is banned by address and port only, or one bad peer would ban every peer
 * of a local swarm.
 */
final class BanList
{
    private final Set<InetAddress> hosts = new HashSet<>();
    private final Set<InetSocketAddress> localAddresses = new HashSet<>();
    private final Set<String> peerIds = new HashSet<>();

    /** @return true when this newly bans someone (a second ban of the same peer is not counted twice). */
    boolean ban(final InetSocketAddress address, final byte[] peerId)
    {
        boolean added = address.getAddress().isLoopbackAddress() ? localAddresses.add(address) :
            hosts.add(address.getAddress());
        if (peerId != null)
        {
            added |= peerIds.add(key(peerId));
        }
        return added;
    }

    boolean isBanned(final InetSocketAddress address)
    {
        return address.getAddress() != null && (address.getAddress().isLoopbackAddress() ?
            localAddresses.contains(address) : hosts.contains(address.getAddress()));
    }

    /** At a handshake: the peer's address or the id it gives. */
    boolean isBanned(final InetSocketAddress address, final byte[] peerId)
    {
        return isBanned(address) || peerId != null && peerIds.contains(key(peerId));
    }

    private static String key(final byte[] peerId)
    {
        return new String(peerId, StandardCharsets.ISO_8859_1);
    }
}
