package io.spate.agent;

import io.spate.peer.PeerConnection;
import io.spate.picker.Bitfield;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Super-seeding (BEP 16) for an initial seed: we pose as a peer with nothing, then tell each peer of one piece only,
 * one never offered before where there is one, else the rarest among the connected peers. The peer may request only
 * that piece; it is told of another once its piece is seen at some other peer (so our upload went into the swarm and
 * not into one peer's collection), or after {@link #STALL_NS} when nobody else has taken it (a swarm of one).
 * Runs on the owning agent's thread; a few offers per piece, so it may allocate.
 */
final class SuperSeeding
{
    /** A peer that finished its piece waits at most this long for the piece to show up elsewhere. */
    static final long STALL_NS = 30_000_000_000L;

    private final List<PeerConnection> peers;
    private final int[] timesOffered;
    private final Bitfield nothing;
    private final Map<PeerConnection, Offer> offers = new IdentityHashMap<>();

    SuperSeeding(final List<PeerConnection> peers, final int pieceCount)
    {
        this.peers = peers;
        this.timesOffered = new int[pieceCount];
        this.nothing = new Bitfield(pieceCount);
    }

    /** Opens the conversation as a peer with no pieces, then offers one. */
    void onActive(final PeerConnection peer, final long nowNs)
    {
        peer.announcePieces(nothing);
        offerNext(peer, nowNs);
    }

    /** @return whether the peer may have this piece: the one it was offered. */
    boolean allows(final PeerConnection peer, final int piece)
    {
        final Offer offer = offers.get(peer);
        return offer != null && offer.piece == piece;
    }

    /**
     * {@code from} has {@code piece} now. Whoever was offered it may take the next once another peer has it: that
     * peer got it from the one offered it (BEP 16). The one offered it need not tell us it has it: a client that
     * sends no HAVE to a peer it believes has the piece (Spate, libtorrent without redundant haves) never does.
     */
    void onHave(final PeerConnection from, final int piece, final long nowNs)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            final Offer offer = offers.get(peer);
            if (offer == null || offer.piece != piece)
            {
                continue;
            }
            if (peer != from || heldElsewhere(peer, piece))
            {
                offerNext(peer, nowNs);
            }
            else if (offer.doneAtNs == 0)
            {
                offer.doneAtNs = nowNs;
            }
        }
    }

    /**
     * Once a second: a peer whose finished piece nobody else took for {@link #STALL_NS} is offered the next; so is
     * one offered its piece twice that long ago that never said it has it (it may send no HAVE to a peer it thinks
     * has the piece, and in a swarm of one no other peer will say so).
     */
    void onTick(final long nowNs)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            final Offer offer = offers.get(peer);
            if (offer != null && (offer.doneAtNs != 0 && nowNs - offer.doneAtNs > STALL_NS ||
                nowNs - offer.offeredAtNs > 2 * STALL_NS))
            {
                offerNext(peer, nowNs);
            }
        }
    }

    /** @return the piece the peer is offered now, or -1. */
    int offeredPiece(final PeerConnection peer)
    {
        final Offer offer = offers.get(peer);
        return offer == null ? -1 : offer.piece;
    }

    void peerLeft(final PeerConnection peer)
    {
        offers.remove(peer);
    }

    private boolean heldElsewhere(final PeerConnection except, final int piece)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection other = peers.get(i);
            if (other != except && other.claims() != null && other.claims().pieces().get(piece))
            {
                return true;
            }
        }
        return false;
    }

    private void offerNext(final PeerConnection peer, final long nowNs)
    {
        final Bitfield has = peer.claims().pieces();
        final Offer previous = offers.get(peer);
        int best = -1;
        long bestScore = Long.MAX_VALUE;
        for (int piece = 0; piece < timesOffered.length; piece++)
        {
            if (has.get(piece) || previous != null && previous.piece == piece)
            {
                continue;
            }
            final long score = (long)timesOffered[piece] << 32 | availability(piece);
            if (score < bestScore)
            {
                bestScore = score;
                best = piece;
            }
        }
        if (best < 0)
        {
            offers.remove(peer);
            return;
        }
        timesOffered[best]++;
        offers.put(peer, new Offer(best, nowNs));
        peer.have(best);
    }

    private int availability(final int piece)
    {
        int n = 0;
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.claims() != null && peer.claims().pieces().get(piece))
            {
                n++;
            }
        }
        return n;
    }

    /** The piece a peer was told of, and when it was seen to have it (0: not yet). */
    private static final class Offer
    {
        final int piece;
        final long offeredAtNs;
        long doneAtNs;

        Offer(final int piece, final long offeredAtNs)
        {
            this.piece = piece;
            this.offeredAtNs = offeredAtNs;
        }
    }
}
