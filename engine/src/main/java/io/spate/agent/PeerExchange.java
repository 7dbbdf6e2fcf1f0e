package io.spate.agent;

import io.spate.peer.PeerConnection;
import io.spate.wire.PexMessage;
import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Peer exchange for one torrent (BEP 11 {@code ut_pex}): each peer that offers it is told, at most once a minute,
 * which peers we are connected to now and which we no longer are, so a swarm goes on finding itself when its
 * tracker is gone; and the contacts peers tell us are dialled. Runs on the owning agent's thread, once a second
 * and per received message; it may allocate (a message a minute per peer).
 * <p>
 * Private torrents (BEP 27) do not exchange peers. What peers tell is untrusted: at most
 * {@link PexMessage#MAX_CONTACTS} contacts a message and one message per {@link #MIN_RECEIVE_GAP_NS} a peer are
 * taken. BEP 11's advice to ignore a second port on a known IP is not followed: on one machine every peer shares
 * 127.0.0.1.
 */
final class PeerExchange
{
    /** The first message to a peer goes out this long after its extension handshake, then one a minute. */
    static final long FIRST_DELAY_NS = 3_000_000_000L;
    static final long INTERVAL_NS = 60_000_000_000L;
    /** A peer sending more often than this (BEP 11 asks one a minute) has the extra messages ignored. */
    static final long MIN_RECEIVE_GAP_NS = 45_000_000_000L;
    private static final int MAX_PER_MESSAGE = 50;

    private final boolean enabled;
    /** What each peer that speaks ut_pex has heard from us and when it next hears or may next tell. */
    private final Map<PeerConnection, PexPeer> pexPeers = new IdentityHashMap<>();

    PeerExchange(final boolean isPrivate)
    {
        this.enabled = !isPrivate;
    }

    boolean enabled()
    {
        return enabled;
    }

    /** The peer's extension handshake arrived: if it speaks ut_pex, it hears from us in a few seconds. */
    void onHandshake(final PeerConnection peer, final long nowNs)
    {
        if (enabled && peer.claims().pexExtensionId() != 0)
        {
            pexPeers.computeIfAbsent(peer, p -> new PexPeer()).nextSendNs = nowNs + FIRST_DELAY_NS;
        }
    }

    void peerLeft(final PeerConnection peer)
    {
        pexPeers.remove(peer);
    }

    /**
     * @return the contacts a ut_pex message from {@code peer} adds that we are not connected to, for dialling; empty
     * when the message is malformed, too soon after the last, or PEX is off.
     */
    List<InetSocketAddress> onMessage(final PeerConnection peer, final DirectBuffer buf, final int offset,
        final int length, final List<PeerConnection> peers, final long nowNs)
    {
        final PexPeer state = enabled ? pexPeers.computeIfAbsent(peer, p -> new PexPeer()) : null;
        if (state == null || nowNs < state.acceptFromNs)
        {
            return List.of();
        }
        state.acceptFromNs = nowNs + MIN_RECEIVE_GAP_NS;
        final byte[] payload = new byte[Math.max(0, length)];
        buf.getBytes(offset, payload);
        final List<InetSocketAddress> added = PexMessage.decodeAdded(payload, 0, payload.length);
        if (added == null)
        {
            return List.of();
        }
        final Set<InetSocketAddress> known = listenAddresses(peers, null);
        added.removeIf(known::contains);
        return added;
    }

    /** Sends each peer that is due what changed since its last message. */
    void onTick(final List<PeerConnection> peers, final long nowNs)
    {
        if (!enabled)
        {
            return;
        }
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            final PexPeer state = pexPeers.get(peer);
            if (state == null || state.nextSendNs == 0 || nowNs < state.nextSendNs ||
                peer.state() != PeerConnection.State.ACTIVE)
            {
                continue;
            }
            state.nextSendNs = nowNs + INTERVAL_NS;
            send(peer, state.sent, peers);
        }
    }

    private static void send(final PeerConnection peer, final Set<InetSocketAddress> sent,
        final List<PeerConnection> peers)
    {
        final Set<InetSocketAddress> current = listenAddresses(peers, peer);
        final List<InetSocketAddress> added = new ArrayList<>();
        final List<InetSocketAddress> dropped = new ArrayList<>();
        for (final InetSocketAddress contact : current)
        {
            if (!sent.contains(contact) && added.size() < MAX_PER_MESSAGE)
            {
                added.add(contact);
            }
        }
        for (final Iterator<InetSocketAddress> it = sent.iterator();
            it.hasNext() && dropped.size() < MAX_PER_MESSAGE;)
        {
            final InetSocketAddress contact = it.next();
            if (!current.contains(contact))
            {
                dropped.add(contact);
            }
        }
        if (added.isEmpty() && dropped.isEmpty())
        {
            return;
        }
        final byte[] flags = new byte[added.size()];
        for (int i = 0; i < added.size(); i++)
        {
            flags[i] = flags(peers, added.get(i));
        }
        final byte[] dict = PexMessage.encode(added, flags, dropped);
        if (peer.sendExtended(peer.claims().pexExtensionId(), dict, null, 0, 0))
        {
            sent.addAll(added);
            dropped.forEach(sent::remove);
        }
        // else a peer that is not reading now hears of these next time
    }

    /** Listen addresses of the active peers that have one, {@code except} left out. */
    private static Set<InetSocketAddress> listenAddresses(final List<PeerConnection> peers,
        final PeerConnection except)
    {
        final Set<InetSocketAddress> addresses = new HashSet<>();
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection p = peers.get(i);
            final InetSocketAddress listen = p.claims().listenAddress();
            if (p != except && listen != null && p.state() == PeerConnection.State.ACTIVE && !listen.isUnresolved())
            {
                addresses.add(listen);
            }
        }
        return addresses;
    }

    private static byte flags(final List<PeerConnection> peers, final InetSocketAddress contact)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection p = peers.get(i);
            if (contact.equals(p.claims().listenAddress()))
            {
                return (byte)((p.claims().isSeed() ? PexMessage.FLAG_SEED : 0) |
                    (p.outgoing() ? PexMessage.FLAG_REACHABLE : 0));
            }
        }
        return 0;
    }

    /** One ut_pex peer: the contacts it has heard of from us, when it next hears, when it may next tell. */
    private static final class PexPeer
    {
        final Set<InetSocketAddress> sent = new HashSet<>();
        long nextSendNs;
        long acceptFromNs;
    }
}
