package io.spate.agent;

import io.spate.peer.CloseReason;
import io.spate.peer.PeerClaims;
import io.spate.peer.PeerConnection;
import io.spate.peer.RequestPipeline;
import io.spate.peer.RequestQueueSizer;
import io.spate.picker.PiecePicker;
import io.spate.picker.RequestSteals;
import io.spate.ratelimit.TokenBucket;
import io.spate.verify.BlockEvent;
import io.spate.verify.BlockMemory;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.List;

/**
 * A torrent's downloading, on its agent's thread: what each peer has (the picker's availability), whom we are
 * interested in, the requests kept in flight to each unchoked peer (as deep as its rate calls for; a peer with room
 * and nothing fresh for us takes over requests waiting at the back of longer queues), blocks received
 * handed to the verify ring, endgame cancels, and the timers that find snubbing peers and lost requests.
 */
final class Downloads
{
    /** No block at all from a peer with requests in flight for this long: it is snubbing us. */
    static final long SNUB_NS = 20_000_000_000L;
    /** A request unanswered this long while the peer answers others was dropped: ask again (anyone). */
    static final long STALE_REQUEST_NS = 15_000_000_000L;
    private static final int BLOCK = PiecePicker.BLOCK_LENGTH;

    private final SessionHost host;
    private final int torrentId;
    private final PiecePicker picker;
    private final TorrentStats stats;
    private final BanPolicy bans;
    private final List<PeerConnection> peers;
    /** When the block completing each piece arrived, for the verify latency. */
    private final long[] pieceWholeAtNs;
    private final int[] pickPieces = new int[512];
    private final int[] pickBlocks = new int[512];
    private final RequestedBy requestedBy = new RequestedBy();
    private final int[] pickFrom = new int[512];
    private final PeerConnection[] stolenFrom = new PeerConnection[512];
    private final RequestSteals steals;
    private final OtherQueues otherQueues;
    /** This torrent's own download limit, beside the engine's. */
    private final TokenBucket torrentLimit = new TokenBucket(0);
    private boolean stopped;

    Downloads(final SessionHost host, final int torrentId, final PiecePicker picker, final TorrentStats stats,
        final BanPolicy bans, final List<PeerConnection> peers, final int pieceCount)
    {
        this.host = host;
        this.torrentId = torrentId;
        this.picker = picker;
        this.stats = stats;
        this.bans = bans;
        this.peers = peers;
        this.pieceWholeAtNs = new long[pieceCount];
        this.steals = new RequestSteals(picker);
        this.otherQueues = new OtherQueues(peers);
    }

    /** This torrent's download limit (rate 0: none); the engine's is {@link SessionHost#limits()}. */
    TokenBucket torrentLimit()
    {
        return torrentLimit;
    }

    /** How many bytes a connection may read now: what both limits allow (charged after, see {@link #read}). */
    int readAllowance(final long nowNs)
    {
        final long allowed = Math.min(torrentLimit.available(nowNs), host.limits().download().available(nowNs));
        return (int)Math.min(Integer.MAX_VALUE, allowed);
    }

    /** Bytes read from a peer of this torrent, charged to both limits. */
    void read(final int bytes)
    {
        torrentLimit.spend(bytes);
        host.limits().download().spend(bytes);
    }

    void stop()
    {
        stopped = true;
    }

    // ---- what peers have ---------------------------------------------------------------------------------------

    void onHave(final PeerConnection peer, final int piece)
    {
        final PeerClaims claims = peer.claims();
        if (!claims.have(piece))
        {
            return;
        }
        picker.peerHasPiece(piece);
        noteFirstCopy();
        if (claims.pieces().isComplete())
        {
            // a peer that completes is a seed from now on: count it the cheap way
            picker.peerLeft(claims.pieces());
            picker.peerHasAll();
            claims.haveAll();
            if (picker.isComplete())
            {
                peer.close(CloseReason.BOTH_SEEDS, "both sides complete");
                return;
            }
        }
        if (!peer.amInterested() && picker.wants(piece))
        {
            peer.interested(true);
            fillRequests(peer);
        }
    }

    void onBitfield(final PeerConnection peer, final DirectBuffer buf, final int offset, final int length)
    {
        picker.peerLeft(peer.claims().pieces()); // a repeated bitfield replaces the first
        if (peer.claims().bitfield(buf, offset, length))
        {
            becameSeed(peer);
        }
        else
        {
            picker.peerHasBitfield(peer.claims().pieces());
            noteFirstCopy();
            updateInterest(peer);
        }
    }

    void onHaveAll(final PeerConnection peer)
    {
        picker.peerLeft(peer.claims().pieces());
        becameSeed(peer);
    }

    private void becameSeed(final PeerConnection peer)
    {
        if (!peer.claims().isSeed())
        {
            peer.claims().haveAll();
            picker.peerHasAll();
            noteFirstCopy();
        }
        if (picker.isComplete())
        {
            peer.close(CloseReason.BOTH_SEEDS, "both sides complete");
            return;
        }
        updateInterest(peer);
    }

    /** As a seed, records what we had uploaded when our peers first held a whole copy between them. */
    private void noteFirstCopy()
    {
        if (stats.uploadedForFirstCopy.getPlain() < 0 && picker.isComplete() && picker.peersHoldEveryPiece())
        {
            stats.uploadedForFirstCopy.setRelease(stats.uploadedBytes.getPlain());
        }
    }

    /** A closing connection's pieces no longer count, and its requests go back to the picker and out to others. */
    void peerLeft(final PeerConnection peer)
    {
        final boolean hadRequests = peer.requests().size() > 0;
        abandonRequests(peer);
        final PeerClaims claims = peer.claims();
        if (claims != null)
        {
            if (claims.isSeed())
            {
                picker.peerLeftHadAll();
            }
            else
            {
                picker.peerLeft(claims.pieces());
            }
        }
        if (hadRequests)
        {
            for (int i = 0; i < peers.size(); i++)
            {
                fillRequests(peers.get(i)); // the closing peer is no longer active: it is skipped
            }
        }
    }

    // ---- requests and blocks -----------------------------------------------------------------------------------

    void onChoke(final PeerConnection peer)
    {
        peer.claims().choking(true);
        abandonRequests(peer);
    }

    void onUnchoke(final PeerConnection peer)
    {
        peer.claims().choking(false);
        fillRequests(peer);
    }

    void onPiece(final PeerConnection peer, final int piece, final int begin, final DirectBuffer buf,
        final int offset, final int length)
    {
        final int block = begin / BLOCK;
        final long now = host.nowNs();
        if (begin % BLOCK != 0 || length != picker.blockLength(piece, block) ||
            !peer.requests().arrived(piece, block, length, now))
        {
            // late after a cancel or choke, or never asked for: drop it, it costs only the bandwidth
            stats.wastedBytes.setRelease(stats.wastedBytes.getPlain() + length);
            return;
        }
        stats.requestRoundTrip.record(now - peer.requests().removedSentAtNs());
        // duplicates handed out in endgame may outlive it (an abandoned request ends endgame): cancel by count
        final boolean duplicated = picker.requesters(piece, block) > 1;
        if (!picker.blockReceived(piece, block))
        {
            stats.wastedBytes.setRelease(stats.wastedBytes.getPlain() + length);
            topUpAfterBlock(peer);
            return;
        }
        bans.blockFrom(piece, block, peer);
        if (duplicated)
        {
            cancelElsewhere(peer, piece, block);
        }
        final long sequence = host.claimBlockSlot();
        final BlockEvent event = host.blockEvent(sequence);
        final boolean whole = picker.pieceWhole(piece);
        if (whole)
        {
            pieceWholeAtNs[piece] = now;
        }
        event.set(torrentId, piece, begin, length, host.agentId(), whole);
        final BlockMemory memory = peer.blockMemory(buf);
        if (memory != null)
        {
            event.reference(memory, offset); // to disk from where the socket read put it: no copy
        }
        else
        {
            event.data().putBytes(0, buf, offset, length);
        }
        host.publishBlock(sequence);
        stats.downloadedBytes.setRelease(stats.downloadedBytes.getPlain() + length);
        topUpAfterBlock(peer);
    }

    void onReject(final PeerConnection peer, final int piece, final int begin)
    {
        final int block = begin / BLOCK;
        if (peer.requests().drop(piece, block))
        {
            picker.requestAbandoned(piece, block);
        }
    }

    /** Tops up the peer's request pipeline to the depth its measured rate calls for. */
    void fillRequests(final PeerConnection peer)
    {
        if (peer.claims().choking() || !peer.amInterested() || peer.state() != PeerConnection.State.ACTIVE ||
            stopped)
        {
            return;
        }
        topUp(peer);
    }

    /**
     * {@link #fillRequests} after a block we asked the peer for arrived. Still tests the choke: under the fast extension
     * a choking peer may go on sending blocks of allowed-fast pieces (BEP 6), and we must not ask it for others.
     */
    private void topUpAfterBlock(final PeerConnection peer)
    {
        // own test, not fillRequests': ticks and unchokes trapped C2's code there (swarm logs, recompiles-20261207.md)
        if (!peer.claims().choking() && peer.amInterested() && peer.state() == PeerConnection.State.ACTIVE && !stopped)
        {
            topUp(peer);
        }
    }

    private void topUp(final PeerConnection peer)
    {
        final PeerClaims claims = peer.claims();
        final RequestPipeline requests = peer.requests();
        final int target = requests.depth(RequestQueueSizer.DEFAULT, peer.traffic().downloadRate(),
            claims.requestQueue());
        final int inFlight = requests.size();
        final int want = Math.min(target - inFlight, pickPieces.length);
        // top up in batches: one pick and one flush for several blocks, not one per block received
        if (want <= 0 || want < (target >> 3) && inFlight > 0)
        {
            return;
        }
        requestedBy.requests = requests;
        final int fresh = picker.pick(claims.pieces(), claims.isSeed(), want, pickPieces, pickBlocks, requestedBy,
            inFlight);
        int n = fresh;
        if (n < want)
        {
            // nothing fresh left at this peer: take over what waits at the back of longer queues (RequestSteals)
            otherQueues.except = peer;
            n = steals.pick(claims.pieces(), claims.isSeed(), n, want, pickPieces, pickBlocks, pickFrom, requestedBy,
                otherQueues, inFlight);
            for (int i = fresh; i < n; i++)
            {
                stolenFrom[i] = peers.get(pickFrom[i]); // before any send: the list's indices are this moment's
            }
        }
        final long now = host.nowNs();
        for (int i = 0; i < n && peer.state() == PeerConnection.State.ACTIVE; i++)
        {
            requests.request(pickPieces[i], pickBlocks[i], picker.blockLength(pickPieces[i], pickBlocks[i]), now);
            if (i >= fresh && requests.contains(pickPieces[i], pickBlocks[i]))
            {
                // moved, not copied: the picker still counts one requester
                stolenFrom[i].requests().cancel(pickPieces[i], pickBlocks[i],
                    picker.blockLength(pickPieces[i], pickBlocks[i]));
            }
        }
        Arrays.fill(stolenFrom, fresh, n, null); // no connection held past this call
        if (n == 0 && requests.size() == 0 && !claims.isSeed() && !picker.isInteresting(claims.pieces()))
        {
            peer.interested(false);
        }
    }

    /** Cancels the block's request at every peer but {@code from} (null: at every peer). */
    void cancelElsewhere(final PeerConnection from, final int piece, final int block)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection other = peers.get(i);
            if (other != from)
            {
                other.requests().cancel(piece, block, picker.blockLength(piece, block));
            }
        }
    }

    private void abandonRequests(final PeerConnection peer)
    {
        final RequestPipeline requests = peer.requests();
        for (int i = 0; i < requests.size(); i++)
        {
            picker.requestAbandoned(requests.piece(i), requests.block(i));
        }
        requests.clear();
    }

    // ---- verdicts and timers -----------------------------------------------------------------------------------

    /** The piece's last block went to the ring at {@code nowNs} (from a web seed): its verdict's latency starts. */
    void pieceWhole(final int piece, final long nowNs)
    {
        pieceWholeAtNs[piece] = nowNs;
    }

    /** @return how long the piece's verdict took from its last block's arrival. */
    long verifyLatencyNs(final int piece)
    {
        return host.nowNs() - pieceWholeAtNs[piece];
    }

    /** A piece is ours: tell those who lack it, and lose interest in peers with nothing more for us. */
    void pieceVerified(final int piece)
    {
        picker.pieceVerified(piece);
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.state() != PeerConnection.State.ACTIVE)
            {
                continue;
            }
            final PeerClaims claims = peer.claims();
            if (!claims.isSeed() && !claims.pieces().get(piece))
            {
                peer.have(piece);
            }
            if (peer.amInterested() && (picker.isFinished() ||
                !claims.isSeed() && !picker.isInteresting(claims.pieces()) && peer.requests().size() == 0))
            {
                peer.interested(false);
            }
        }
    }

    /** A piece failed its check: its blocks go back to the picker, and every pipeline is topped up. */
    void pieceFailed(final int piece)
    {
        picker.pieceFailed(piece);
        for (int i = 0; i < peers.size(); i++)
        {
            fillRequests(peers.get(i));
        }
    }

    /** Once a second for each active peer: snubbing, requests lost, then a top-up. */
    void onTick(final PeerConnection peer, final long nowNs)
    {
        final RequestPipeline requests = peer.requests();
        if (requests.size() > 0 && nowNs - requests.lastBlockNs() > SNUB_NS)
        {
            requests.snub();
            abandonRequests(peer);
        }
        else
        {
            // the peer answers, but not these: dropped or lost requests go back to the picker
            while (requests.size() > 0 && nowNs - requests.oldestSentAtNs() > STALE_REQUEST_NS)
            {
                final int piece = requests.piece(0);
                final int block = requests.block(0);
                requests.drop(piece, block);
                picker.requestAbandoned(piece, block);
            }
        }
        fillRequests(peer);
    }

    /** Interested in the peer while it has a piece we want (a seed: while we want anything). */
    void updateInterest(final PeerConnection peer)
    {
        final boolean interesting = !picker.isFinished() &&
            (peer.claims().isSeed() || picker.isInteresting(peer.claims().pieces()));
        peer.interested(interesting);
        if (interesting)
        {
            fillRequests(peer);
        }
    }

    /**
     * The request queues of every active peer but one whose requests may move, for {@link RequestSteals} (reused, no
     * allocation).
     */
    private static final class OtherQueues implements RequestSteals.Queues
    {
        private final List<PeerConnection> peers;
        PeerConnection except;

        OtherQueues(final List<PeerConnection> peers)
        {
            this.peers = peers;
        }

        @Override
        public int count()
        {
            return peers.size();
        }

        @Override
        public int size(final int queue)
        {
            final PeerConnection peer = peers.get(queue);
            // only a queue whose sender keeps its socket's backlog short gives up requests (LocalNetwork)
            return peer == except || peer.state() != PeerConnection.State.ACTIVE || !peer.requestsMayMove() ? 0 :
                peer.requests().size();
        }

        @Override
        public int piece(final int queue, final int index)
        {
            return peers.get(queue).requests().piece(index);
        }

        @Override
        public int block(final int queue, final int index)
        {
            return peers.get(queue).requests().block(index);
        }

        @Override
        public long rate(final int queue)
        {
            return peers.get(queue).traffic().downloadRate();
        }
    }

    /** Filter for endgame picks and steals: blocks this peer already has in flight (reused, no allocation). */
    private static final class RequestedBy implements PiecePicker.BlockFilter
    {
        RequestPipeline requests;

        @Override
        public boolean test(final int piece, final int block)
        {
            return requests.contains(piece, block);
        }
    }
}
