package io.spate.agent;

import io.spate.peer.PeerConnection;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.MessageEncoder;
import io.spate.wire.PexMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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

    PeerExchange(final boolean isPrivate)
    {
        this.enabled = !isPrivate;
    }

    boolean enabled()
    {
        return enabled;
    }

    /** The peer's extension handshake arrived: note its ut_pex id and, for a peer that dialled us, its listen port. */
    void onHandshake(final PeerConnection peer, final ExtensionHandshake handshake, final long nowNs)
    {
        peer.peerPexId = enabled ? handshake.extensionId(ExtensionHandshake.UT_PEX) : 0;
        if (!peer.outgoing() && handshake.port() > 0 && peer.remote().getAddress() != null)
        {
            peer.listenAddress = new InetSocketAddress(peer.remote().getAddress(), handshake.port());
        }
        peer.nextPexNs = nowNs + FIRST_DELAY_NS;
    }

    /**
     * @return the contacts a ut_pex message from {@code peer} adds that we are not connected to, for dialling; empty
     * when the message is malformed, too soon after the last, or PEX is off.
     */
    List<InetSocketAddress> onMessage(final PeerConnection peer, final DirectBuffer buf, final int offset,
        final int length, final List<PeerConnection> peers, final long nowNs)
    {
        if (!enabled || nowNs < peer.pexAcceptedFromNs)
        {
            return List.of();
        }
        peer.pexAcceptedFromNs = nowNs + MIN_RECEIVE_GAP_NS;
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
    void onTick(final List<PeerConnection> peers, final long nowNs, final NetworkAgent agent)
    {
        if (!enabled)
        {
            return;
        }
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.peerPexId == 0 || nowNs < peer.nextPexNs || peer.state() != PeerConnection.State.ACTIVE)
            {
                continue;
            }
            peer.nextPexNs = nowNs + INTERVAL_NS;
            if (send(peer, peers))
            {
                agent.markDirty(peer);
            }
        }
    }

    private static boolean send(final PeerConnection peer, final List<PeerConnection> peers)
    {
        final Set<InetSocketAddress> current = listenAddresses(peers, peer);
        if (peer.pexSent == null)
        {
            peer.pexSent = new HashSet<>();
        }
        final List<InetSocketAddress> added = new ArrayList<>();
        final List<InetSocketAddress> dropped = new ArrayList<>();
        for (final InetSocketAddress contact : current)
        {
            if (!peer.pexSent.contains(contact) && added.size() < MAX_PER_MESSAGE)
            {
                added.add(contact);
            }
        }
        for (final Iterator<InetSocketAddress> it = peer.pexSent.iterator();
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
            return false;
        }
        final byte[] flags = new byte[added.size()];
        for (int i = 0; i < added.size(); i++)
        {
            flags[i] = flags(peers, added.get(i));
        }
        final byte[] dict = PexMessage.encode(added, flags, dropped);
        try
        {
            final UnsafeBuffer out = peer.writeBuffer(MessageEncoder.EXTENDED_HEADER_LENGTH + dict.length);
            peer.commitWrite(MessageEncoder.extended(out, peer.writeOffset(), peer.peerPexId, dict, 0, dict.length));
        }
        catch (final PeerConnection.SendBufferOverflow ex)
        {
            return false; // a peer that is not reading now hears of these next time
        }
        peer.pexSent.addAll(added);
        dropped.forEach(peer.pexSent::remove);
        return true;
    }

    /** Listen addresses of the active peers that have one, {@code except} left out. */
    private static Set<InetSocketAddress> listenAddresses(final List<PeerConnection> peers,
        final PeerConnection except)
    {
        final Set<InetSocketAddress> addresses = new HashSet<>();
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection p = peers.get(i);
            if (p != except && p.listenAddress != null && p.state() == PeerConnection.State.ACTIVE &&
                !p.listenAddress.isUnresolved())
            {
                addresses.add(p.listenAddress);
            }
        }
        return addresses;
    }

    private static byte flags(final List<PeerConnection> peers, final InetSocketAddress contact)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection p = peers.get(i);
            if (contact.equals(p.listenAddress))
            {
                return (byte)((p.peerIsSeed ? PexMessage.FLAG_SEED : 0) |
                    (p.outgoing() ? PexMessage.FLAG_REACHABLE : 0));
            }
        }
        return 0;
    }
}
