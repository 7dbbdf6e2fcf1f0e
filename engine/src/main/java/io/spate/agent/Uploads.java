package io.spate.agent;

import io.spate.choke.ChokePeers;
import io.spate.choke.Choker;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.picker.PiecePicker;
import io.spate.ratelimit.TokenBucket;

import java.util.List;

/**
 * A torrent's uploading, on its agent's thread: which requests we take (only for verified pieces, only from unchoked
 * peers, only as many as we told them), and whom we unchoke. The pure {@link Choker} decides from a view of the
 * connections (this class is that view); the decision goes out as CHOKE/UNCHOKE, and a peer choked with requests
 * queued gets them rejected (fast extension) or dropped. A free-rider (an experiment's) never unchokes anyone.
 */
final class Uploads implements ChokePeers
{
    private final List<PeerConnection> peers;
    private final Choker choker;
    private final PiecePicker picker;
    private final TorrentStats stats;
    private final BanPolicy bans;
    /** Non-null while super-seeding: a peer may have only the piece it was offered. */
    private final SuperSeeding superSeeding;
    private final boolean freeRider;
    private final int maxQueued;
    /** This torrent's upload limit (0: none) and the engine's, shared by every torrent and agent. */
    private final TokenBucket torrentLimit = new TokenBucket(0);
    private final TokenBucket engineLimit;

    Uploads(final List<PeerConnection> peers, final Choker choker, final PiecePicker picker, final TorrentStats stats,
        final BanPolicy bans, final SuperSeeding superSeeding, final boolean freeRider, final TokenBucket engineLimit,
        final int maxQueued)
    {
        this.engineLimit = engineLimit;
        this.superSeeding = superSeeding;
        this.freeRider = freeRider;
        this.peers = peers;
        this.choker = choker;
        this.picker = picker;
        this.stats = stats;
        this.bans = bans;
        this.maxQueued = maxQueued;
    }

    void onRequest(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        if (!picker.have(piece))
        {
            bans.ban(peer, CloseReason.REQUEST_FOR_MISSING_PIECE, "requested piece " + piece + ", which we lack");
            return;
        }
        if (peer.amChoking() || superSeeding != null && !superSeeding.allows(peer, piece))
        {
            peer.reject(piece, begin, length);
            return;
        }
        if (!peer.queueUpload(piece, begin, length))
        {
            if (peer.claims().fast())
            {
                peer.reject(piece, begin, length);
                return;
            }
            bans.ban(peer, CloseReason.TOO_MANY_REQUESTS, "more than " + maxQueued + " requests");
        }
    }

    void onCancel(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        if (peer.cancelUpload(piece, begin, length))
        {
            peer.reject(piece, begin, length);
        }
    }

    TokenBucket torrentLimit()
    {
        return torrentLimit;
    }

    /** Whether a block of {@code bytes} may go out now under this torrent's and the engine's upload limits. */
    boolean admit(final int bytes, final long nowNs)
    {
        if (!torrentLimit.tryTake(bytes, nowNs))
        {
            return false;
        }
        if (!engineLimit.tryTake(bytes, nowNs))
        {
            torrentLimit.giveBack(bytes);
            return false;
        }
        return true;
    }

    void onBlockSent(final int length)
    {
        stats.uploadedBytes.setRelease(stats.uploadedBytes.getPlain() + length);
    }

    /** @return true when the peer's change of heart calls for a rechoke now (a free slot to fill, or one to free). */
    boolean onInterested(final PeerConnection peer, final boolean interested)
    {
        peer.claims().interested(interested);
        return interested ? countUnchoked() < choker.regularSlots() : !peer.amChoking();
    }

    void peerConnected(final PeerConnection peer, final long nowNs)
    {
        choker.peerConnected(peer.slot(), nowNs);
    }

    void peerDisconnected(final PeerConnection peer)
    {
        choker.peerDisconnected(peer.slot());
    }

    /** Recomputes who is unchoked when due (every 10 s), or at once when forced, and tells the peers that changed. */
    void rechoke(final boolean force, final boolean weAreSeed, final long nowNs)
    {
        if (freeRider)
        {
            return;
        }
        // a peer that took a megabyte unpaid loses its slot now, not at the next rechoke up to 10 s away
        final boolean judged = !weAreSeed && !force && choker.judgeBetweenRechokes(this);
        if (!force && !judged && !choker.rechokeDue(nowNs) || !choker.rechoke(this, weAreSeed, nowNs))
        {
            return;
        }
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.state() != PeerConnection.State.ACTIVE)
            {
                continue;
            }
            if (choker.unchoked(peer.slot()))
            {
                peer.unchoke();
            }
            else
            {
                peer.choke();
            }
        }
    }

    /** For the swarm trace: whether the choker judged this peer a refuser, and whether it holds the optimistic slot. */
    boolean refusedToTrade(final PeerConnection peer)
    {
        return choker.refusedToTrade(peer.slot());
    }

    boolean optimistic(final PeerConnection peer)
    {
        return choker.optimisticPeer() == peer.slot();
    }

    private int countUnchoked()
    {
        int n = 0;
        for (int i = 0; i < peers.size(); i++)
        {
            if (!peers.get(i).amChoking())
            {
                n++;
            }
        }
        return n;
    }

    @Override
    public int count()
    {
        return peers.size();
    }

    @Override
    public int id(final int i)
    {
        return peers.get(i).slot();
    }

    @Override
    public boolean interested(final int i)
    {
        final PeerConnection peer = peers.get(i);
        return peer.state() == PeerConnection.State.ACTIVE && peer.claims().interested();
    }

    @Override
    public long downloadRate(final int i)
    {
        return peers.get(i).traffic().downloadRate();
    }

    @Override
    public long uploadRate(final int i)
    {
        return peers.get(i).traffic().uploadRate();
    }

    @Override
    public long uploaded(final int i)
    {
        return peers.get(i).traffic().uploaded();
    }

    @Override
    public boolean wanted(final int i)
    {
        return peers.get(i).amInterested();
    }

    @Override
    public boolean snubbed(final int i)
    {
        return peers.get(i).requests().snubbed();
    }
}
