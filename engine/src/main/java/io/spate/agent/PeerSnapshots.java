package io.spate.agent;

import io.spate.peer.ClientNames;
import io.spate.peer.PeerClaims;
import io.spate.peer.PeerConnection;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Copies a torrent's connections into {@link PeerSnapshot}s for the API. Runs on the owning agent's thread, in a
 * command the API posted (control path: it allocates), so it reads the connections' state without a lock.
 */
final class PeerSnapshots
{
    /** A client name longer than this is cut: it is the peer's word and goes into every detail reply. */
    static final int MAX_CLIENT_LENGTH = 64;

    private PeerSnapshots()
    {
    }

    /**
     * @param superSeeding the torrent's super-seeding, or null when it does not super-seed.
     * @param sourceOf     where we heard of an address we dialled, or null.
     */
    static List<PeerSnapshot> of(final List<PeerConnection> peers, final int pieceCount, final BanPolicy bans,
        final SuperSeeding superSeeding, final Function<InetSocketAddress, PeerSource> sourceOf)
    {
        final List<PeerSnapshot> snapshots = new ArrayList<>(peers.size());
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.state() == PeerConnection.State.CLOSED)
            {
                continue;
            }
            final PeerClaims claims = peer.claims();
            final InetSocketAddress remote = peer.remote();
            final boolean active = peer.state() == PeerConnection.State.ACTIVE;
            snapshots.add(new PeerSnapshot(
                remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString(),
                remote.getPort(),
                active ? client(claims, peer.remotePeerId()) : null,
                peer.outgoing(),
                peer.outgoing() ? sourceOf.apply(remote) : PeerSource.INCOMING,
                peer.state().name().toLowerCase(Locale.ROOT),
                peer.amChoking(),
                peer.amInterested(),
                claims == null || claims.choking(),
                claims != null && claims.interested(),
                peer.requests().snubbed(),
                claims != null && (claims.isSeed() || claims.pieces().isComplete()),
                bans.isSuspect(remote),
                bans.isBanned(remote, peer.remotePeerId()),
                superSeeding == null ? -1 : superSeeding.offeredPiece(peer),
                peer.traffic().downloadRate(),
                peer.traffic().uploadRate(),
                peer.traffic().downloaded(),
                peer.traffic().uploaded(),
                claims == null ? 0 : claims.pieces().cardinality(),
                pieceCount,
                peer.requests().size(),
                peer.uploadsQueued()));
        }
        return snapshots;
    }

    /** The handshake's {@code v} (printable characters only, cut to a sane length), else the peer id's client. */
    static String client(final PeerClaims claims, final byte[] peerId)
    {
        final String named = claims == null ? null : claims.client();
        if (named == null || named.isBlank())
        {
            return ClientNames.of(peerId);
        }
        final StringBuilder clean = new StringBuilder(Math.min(named.length(), MAX_CLIENT_LENGTH));
        for (int i = 0; i < named.length() && clean.length() < MAX_CLIENT_LENGTH; i++)
        {
            final char c = named.charAt(i);
            clean.append(Character.isISOControl(c) ? '?' : c);
        }
        return clean.toString();
    }
}
