package io.spate.agent;

import io.spate.choke.Choker;
import io.spate.metainfo.Metainfo;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.peer.PeerEvents;
import io.spate.peer.RequestQueueSizer;
import io.spate.picker.Bitfield;
import io.spate.picker.PiecePicker;
import io.spate.storage.TorrentStorage;
import io.spate.verify.BlockEvent;
import io.spate.verify.PieceResult;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.MetadataMessage;
import io.spate.wire.PexMessage;
import io.spate.wire.MessageEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One torrent on its owning network agent: the picker, the choker and the torrent's connections. All methods run
 * on the agent's thread. Blocks received go to the verify pipeline; pieces are announced (HAVE) and served only
 * once the pipeline reports them verified.
 */
public final class TorrentSession implements PeerEvents
{
    private static final int BLOCK = PiecePicker.BLOCK_LENGTH;
    private static final long NO_SENDER = -1;
    private static final long MIXED_SENDERS = -2;
    /** No block at all from a peer with requests in flight for this long: it is snubbing us. */
    private static final long SNUB_NS = 20_000_000_000L;
    /** A request unanswered this long while the peer answers others was dropped: ask again (anyone). */
    private static final long STALE_REQUEST_NS = 15_000_000_000L;

    private final NetworkAgent agent;
    private final int torrentId;
    private final Metainfo metainfo;
    private final TorrentStorage storage;
    private final byte[] infoHash;
    private final byte[] ourPeerId;
    private final PiecePicker picker;
    private final TorrentChoking choking;
    private final PeerMessages messages;
    private final TorrentStats stats;
    private final TorrentListener listener;
    private final List<PeerConnection> peers = new ArrayList<>();
    private final long[] pieceSender;
    /** When the block completing each piece arrived, for the verify latency. */
    private final long[] pieceWholeAtNs;
    private final int[] pickPieces = new int[512];
    private final int[] pickBlocks = new int[512];
    private final RequestedBy requestedBy = new RequestedBy();
    private final Set<InetSocketAddress> banned = new HashSet<>();
    /** Stable per-connection ids for the choker, reused after a peer leaves. */
    private final BitSet usedSlots = new BitSet();
    private final MetadataServer metadataServer;
    private final PeerExchange peerExchange;
    /** Our BEP 10 handshake for this torrent (with ut_metadata unless it is private). */
    private final byte[] extensionHandshake;
    private boolean completeAnnounced;
    private boolean stopped;

    TorrentSession(final NetworkAgent agent, final int torrentId, final TorrentStorage storage,
        final BitSet verified, final byte[] ourPeerId, final TorrentStats stats, final TorrentListener listener,
        final long seed)
    {
        this.agent = agent;
        this.torrentId = torrentId;
        this.storage = storage;
        this.metainfo = storage.metainfo();
        this.infoHash = metainfo.infoHash();
        this.ourPeerId = ourPeerId;
        this.stats = stats;
        this.listener = listener;
        this.picker = new PiecePicker(metainfo.pieceCount(), metainfo.pieceLength(), metainfo.totalLength(), seed);
        this.messages = new PeerMessages(agent);
        this.choking = new TorrentChoking(peers, Choker.withDefaults(seed), messages);
        this.metadataServer = new MetadataServer(metainfo);
        this.peerExchange = new PeerExchange(metainfo.isPrivate());
        this.extensionHandshake = agent.extensionHandshake(metadataServer.metadataSize(), peerExchange.enabled());
        this.pieceSender = new long[metainfo.pieceCount()];
        this.pieceWholeAtNs = new long[metainfo.pieceCount()];
        Arrays.fill(pieceSender, NO_SENDER);
        long have = 0;
        for (int piece = verified.nextSetBit(0); piece >= 0; piece = verified.nextSetBit(piece + 1))
        {
            picker.markHave(piece);
            have += metainfo.pieceSize(piece);
        }
        stats.verifiedBytes.setRelease(have);
        if (picker.isComplete())
        {
            completeAnnounced = true;
            stats.completedAtNs.setRelease(agent.nowNs());
        }
    }

    public int torrentId()
    {
        return torrentId;
    }

    public Metainfo metainfo()
    {
        return metainfo;
    }

    public TorrentStorage storage()
    {
        return storage;
    }

    public byte[] infoHashRef()
    {
        return infoHash;
    }

    public boolean isComplete()
    {
        return picker.isComplete();
    }

    TorrentStats statsRef()
    {
        return stats;
    }

    java.util.BitSet verifiedPieces()
    {
        final BitSet bits = new BitSet(metainfo.pieceCount());
        for (int i = 0; i < metainfo.pieceCount(); i++)
        {
            if (picker.have(i))
            {
                bits.set(i);
            }
        }
        return bits;
    }

    public List<PeerConnection> peers()
    {
        return peers;
    }

    public boolean isBanned(final InetSocketAddress address)
    {
        return banned.contains(address);
    }

    boolean isConnectedTo(final InetSocketAddress address)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            if (peers.get(i).remote().equals(address))
            {
                return true;
            }
        }
        return false;
    }

    void add(final PeerConnection peer)
    {
        peers.add(peer);
        peer.slot = usedSlots.nextClearBit(0);
        usedSlots.set(peer.slot);
        choking.peerConnected(peer.slot, agent.nowNs());
        stats.peersConnected.setRelease(peers.size());
    }

    // ---- handshake ---------------------------------------------------------------------------------------------

    @Override
    public boolean onHandshake(final PeerConnection peer, final byte[] theirInfoHash, final byte[] peerId)
    {
        if (!Arrays.equals(theirInfoHash, infoHash))
        {
            peer.close(CloseReason.WRONG_INFO_HASH, "handshake names another torrent");
            return false;
        }
        if (Arrays.equals(peerId, ourPeerId))
        {
            peer.close(CloseReason.SELF_CONNECTION, "connected to ourselves");
            return false;
        }
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection other = peers.get(i);
            if (other != peer && other.state() == PeerConnection.State.ACTIVE &&
                Arrays.equals(other.remotePeerId(), peerId))
            {
                peer.close(CloseReason.DUPLICATE, "already connected to this peer id");
                return false;
            }
        }
        if (!peer.outgoing())
        {
            peer.sendHandshake(infoHash, ourPeerId);
        }
        return true;
    }

    @Override
    public void onActive(final PeerConnection peer)
    {
        final Bitfield have = picker.haveBitfield();
        if (peer.fast && have.isComplete())
        {
            messages.send(peer, PeerMessages.Kind.HAVE_ALL, 0, 0, 0);
        }
        else if (peer.fast && have.isEmpty())
        {
            messages.send(peer, PeerMessages.Kind.HAVE_NONE, 0, 0, 0);
        }
        else if (!have.isEmpty())
        {
            try
            {
                final UnsafeBuffer buf = peer.writeBuffer(MessageEncoder.HEADER_LENGTH + have.byteLength());
                final int at = peer.writeOffset();
                final int n = have.writeWire(buf, at + MessageEncoder.HEADER_LENGTH);
                buf.putInt(at, 1 + n, java.nio.ByteOrder.BIG_ENDIAN);
                buf.putByte(at + 4, io.spate.wire.MessageType.BITFIELD);
                peer.commitWrite(MessageEncoder.HEADER_LENGTH + n);
            }
            catch (final PeerConnection.SendBufferOverflow ex)
            {
                peer.close(CloseReason.SEND_BUFFER_OVERFLOW, "bitfield does not fit");
                return;
            }
        }
        if (peer.extended)
        {
            final byte[] handshake = extensionHandshake;
            try
            {
                final UnsafeBuffer buf = peer.writeBuffer(MessageEncoder.EXTENDED_HEADER_LENGTH + handshake.length);
                peer.commitWrite(MessageEncoder.extended(buf, peer.writeOffset(), 0, handshake, 0, handshake.length));
            }
            catch (final PeerConnection.SendBufferOverflow ex)
            {
                peer.close(CloseReason.SEND_BUFFER_OVERFLOW, "extension handshake does not fit");
                return;
            }
        }
        agent.markDirty(peer);
    }

    // ---- peer state --------------------------------------------------------------------------------------------

    @Override
    public void onChoke(final PeerConnection peer)
    {
        abandonRequests(peer);
    }

    @Override
    public void onUnchoke(final PeerConnection peer)
    {
        fillRequests(peer);
    }

    @Override
    public void onInterested(final PeerConnection peer, final boolean interested)
    {
        if (interested ? choking.countUnchoked() < Choker.DEFAULT_REGULAR_SLOTS : !peer.amChoking)
        {
            rechoke(true);
        }
    }

    @Override
    public void onHave(final PeerConnection peer, final int piece)
    {
        if (peer.peerIsSeed || peer.peerHas.get(piece))
        {
            return;
        }
        peer.peerHas.set(piece);
        picker.peerHasPiece(piece);
        if (peer.peerHas.isComplete())
        {
            // a peer that completes is a seed from now on: count it the cheap way
            picker.peerLeft(peer.peerHas);
            picker.peerHasAll();
            peer.peerIsSeed = true;
            if (picker.isComplete())
            {
                peer.close(CloseReason.BOTH_SEEDS, "both sides complete");
                return;
            }
        }
        if (!peer.amInterested && !picker.have(piece))
        {
            setInterested(peer, true);
            fillRequests(peer);
        }
    }

    @Override
    public void onBitfield(final PeerConnection peer, final DirectBuffer buf, final int offset, final int length)
    {
        picker.peerLeft(peer.peerHas); // a repeated bitfield replaces the first
        peer.peerHas.readWire(buf, offset, length);
        if (peer.peerHas.isComplete())
        {
            peerBecameSeed(peer);
        }
        else
        {
            picker.peerHasBitfield(peer.peerHas);
            updateInterest(peer);
        }
    }

    @Override
    public void onHaveAll(final PeerConnection peer)
    {
        picker.peerLeft(peer.peerHas);
        peer.peerHas.setAll();
        peerBecameSeed(peer);
    }

    @Override
    public void onHaveNone(final PeerConnection peer)
    {
    }

    private void peerBecameSeed(final PeerConnection peer)
    {
        if (!peer.peerIsSeed)
        {
            peer.peerIsSeed = true;
            picker.peerHasAll();
        }
        if (picker.isComplete())
        {
            peer.close(CloseReason.BOTH_SEEDS, "both sides complete");
            return;
        }
        updateInterest(peer);
    }

    // ---- uploads -----------------------------------------------------------------------------------------------

    @Override
    public void onRequest(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        if (!picker.have(piece))
        {
            ban(peer, CloseReason.REQUEST_FOR_MISSING_PIECE, "requested piece " + piece + ", which we lack");
            return;
        }
        if (peer.amChoking)
        {
            if (peer.fast)
            {
                messages.send(peer, PeerMessages.Kind.REJECT, piece, begin, length);
            }
            return;
        }
        if (!peer.uploads.offer(piece, begin, length))
        {
            if (peer.fast)
            {
                messages.send(peer, PeerMessages.Kind.REJECT, piece, begin, length);
                return;
            }
            ban(peer, CloseReason.TOO_MANY_REQUESTS, "more than " + NetworkAgent.MAX_UPLOAD_QUEUE + " requests");
            return;
        }
        agent.markDirty(peer);
    }

    @Override
    public void onCancel(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        if (peer.uploads.remove(piece, begin, length) && peer.fast)
        {
            messages.send(peer, PeerMessages.Kind.REJECT, piece, begin, length);
        }
    }

    @Override
    public void onBlockSent(final PeerConnection peer, final int length)
    {
        stats.uploadedBytes.setRelease(stats.uploadedBytes.getPlain() + length);
    }

    // ---- downloads ---------------------------------------------------------------------------------------------

    @Override
    public void onPiece(final PeerConnection peer, final int piece, final int begin, final DirectBuffer buf,
        final int offset, final int length)
    {
        final int block = begin / BLOCK;
        if (begin % BLOCK != 0 || length != picker.blockLength(piece, block) || !peer.inFlight.remove(piece, block))
        {
            // late after a cancel or choke, or never asked for: drop it, it costs only the bandwidth
            stats.wastedBytes.setRelease(stats.wastedBytes.getPlain() + length);
            return;
        }
        final long now = agent.nowNs();
        stats.requestRoundTrip.record(now - peer.inFlight.removedSentAtNs());
        peer.downloadedBytes += length;
        peer.lastPieceNs = now;
        peer.snubbed = false;
        if (peer.slowStartDepth < RequestQueueSizer.DEFAULT.maxDepth())
        {
            peer.slowStartDepth++;
        }
        // duplicates handed out in endgame may outlive it (an abandoned request ends endgame): cancel by count
        final boolean duplicated = picker.requesters(piece, block) > 1;
        if (!picker.blockReceived(piece, block))
        {
            stats.wastedBytes.setRelease(stats.wastedBytes.getPlain() + length);
            fillRequests(peer);
            return;
        }
        final long sender = pieceSender[piece];
        pieceSender[piece] = sender == NO_SENDER || sender == peer.id() ? peer.id() : MIXED_SENDERS;
        if (duplicated)
        {
            cancelElsewhere(peer, piece, block);
        }
        final long sequence = agent.claimBlockSlot();
        final BlockEvent event = agent.pipeline().event(sequence);
        final boolean whole = picker.pieceWhole(piece);
        if (whole)
        {
            pieceWholeAtNs[piece] = now;
        }
        event.set(torrentId, piece, begin, length, agent.agentId(), whole);
        event.data().putBytes(0, buf, offset, length);
        agent.pipeline().publish(sequence);
        stats.downloadedBytes.setRelease(stats.downloadedBytes.getPlain() + length);
        fillRequests(peer);
    }

    @Override
    public void onReject(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        final int block = begin / BLOCK;
        if (peer.inFlight.remove(piece, block))
        {
            picker.requestAbandoned(piece, block);
        }
    }

    @Override
    public void onExtended(final PeerConnection peer, final int extendedId, final DirectBuffer buf, final int offset,
        final int length)
    {
        if (extendedId == MetadataMessage.OUR_EXTENDED_ID)
        {
            metadataServer.onMessage(peer, buf, offset, length);
            agent.markDirty(peer);
            return;
        }
        if (extendedId == PexMessage.OUR_EXTENDED_ID)
        {
            agent.addPeers(this, peerExchange.onMessage(peer, buf, offset, length, peers, agent.nowNs()));
            return;
        }
        if (extendedId != ExtensionHandshake.HANDSHAKE_ID)
        {
            return; // we offer ut_metadata and ut_pex only: nothing else to read
        }
        // control path: once per connection. A handshake we cannot read means "no extensions", not a bad peer.
        final ExtensionHandshake handshake = ExtensionHandshake.decode(buf, offset, length);
        if (handshake != null && handshake.requestQueue() > 0)
        {
            peer.maxRequests = Math.min(handshake.requestQueue(), peer.inFlight.capacity());
        }
        if (handshake != null)
        {
            peer.peerMetadataId = handshake.extensionId(ExtensionHandshake.UT_METADATA);
            peerExchange.onHandshake(peer, handshake, agent.nowNs());
        }
    }

    /** Tops up the peer's request pipeline to the depth its measured rate calls for. */
    void fillRequests(final PeerConnection peer)
    {
        if (peer.peerChoking || !peer.amInterested || peer.state() != PeerConnection.State.ACTIVE || stopped)
        {
            return;
        }
        final int target = peer.snubbed ? 1 : Math.min(peer.maxRequests,
            Math.max(peer.slowStartDepth, RequestQueueSizer.DEFAULT.targetQueueDepth(peer.downloadRate)));
        final int want = Math.min(target - peer.inFlight.size(), pickPieces.length);
        // top up in batches: one pick and one flush for several blocks, not one per block received
        if (want <= 0 || want < (target >> 3) && peer.inFlight.size() > 0)
        {
            return;
        }
        requestedBy.peer = peer;
        final int n = picker.pick(peer.peerHas, peer.peerIsSeed, want, pickPieces, pickBlocks, requestedBy,
            peer.inFlight.size());
        final long now = agent.nowNs();
        for (int i = 0; i < n; i++)
        {
            final int piece = pickPieces[i];
            final int block = pickBlocks[i];
            peer.inFlight.add(piece, block, now);
            if (!messages.send(peer, PeerMessages.Kind.REQUEST, piece, block * BLOCK,
                picker.blockLength(piece, block)))
            {
                return;
            }
        }
        if (n == 0 && peer.inFlight.size() == 0 && !picker.isInteresting(peer.peerHas) && !peer.peerIsSeed)
        {
            setInterested(peer, false);
        }
    }

    private void cancelElsewhere(final PeerConnection from, final int piece, final int block)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection other = peers.get(i);
            if (other != from && other.inFlight.remove(piece, block))
            {
                messages.send(other, PeerMessages.Kind.CANCEL, piece, block * BLOCK, picker.blockLength(piece, block));
            }
        }
    }

    private void abandonRequests(final PeerConnection peer)
    {
        for (int i = 0; i < peer.inFlight.size(); i++)
        {
            picker.requestAbandoned(peer.inFlight.piece(i), peer.inFlight.block(i));
        }
        peer.inFlight.clear();
    }

    // ---- verification results ----------------------------------------------------------------------------------

    void onPieceResult(final int piece, final int result)
    {
        if (stopped)
        {
            return;
        }
        final long sender = pieceSender[piece];
        pieceSender[piece] = NO_SENDER;
        stats.pieceVerify.record(agent.nowNs() - pieceWholeAtNs[piece]);
        if (result == PieceResult.VERIFIED)
        {
            picker.pieceVerified(piece);
            stats.verifiedBytes.setRelease(stats.verifiedBytes.getPlain() + metainfo.pieceSize(piece));
            announceHave(piece);
            if (picker.isComplete() && !completeAnnounced)
            {
                completeAnnounced = true;
                stats.completedAtNs.setRelease(agent.nowNs());
                for (int i = peers.size() - 1; i >= 0; i--)
                {
                    if (peers.get(i).peerIsSeed)
                    {
                        peers.get(i).close(CloseReason.BOTH_SEEDS, "both sides complete");
                    }
                }
                listener.onComplete();
            }
        }
        else if (result == PieceResult.HASH_FAILED)
        {
            picker.pieceFailed(piece);
            stats.hashFailures.incrementAndGet();
            for (int i = peers.size() - 1; i >= 0; i--)
            {
                final PeerConnection peer = peers.get(i);
                if (peer.id() == sender || sender == MIXED_SENDERS && ++peer.hashFailures >= 3)
                {
                    ban(peer, CloseReason.SENT_BAD_DATA, "piece " + piece + " failed its SHA-1 check");
                }
            }
            for (int i = 0; i < peers.size(); i++)
            {
                fillRequests(peers.get(i));
            }
        }
        else if (result == PieceResult.WRITE_FAILED)
        {
            final String error = agent.pipeline().torrents().writeError(torrentId);
            stop(CloseReason.SHUTDOWN);
            listener.onError(error != null ? error : "writing piece " + piece + " failed");
        }
    }

    private void announceHave(final int piece)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.state() != PeerConnection.State.ACTIVE)
            {
                continue;
            }
            if (!peer.peerIsSeed && !peer.peerHas.get(piece))
            {
                messages.send(peer, PeerMessages.Kind.HAVE, piece, 0, 0);
            }
            if (peer.amInterested && !peer.peerIsSeed && !picker.isInteresting(peer.peerHas) &&
                peer.inFlight.size() == 0)
            {
                setInterested(peer, false);
            }
            else if (peer.amInterested && picker.isComplete())
            {
                setInterested(peer, false);
            }
        }
    }

    /** Recomputes who is unchoked: when due (every 10 s), or at once when forced (a peer came, left, got keen). */
    void rechoke(final boolean force)
    {
        choking.rechoke(force, picker.isComplete(), agent.nowNs());
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    /** Once a second: request timeouts (snubbing), keep-alives, idle peers. */
    void onTick(final long nowNs)
    {
        peerExchange.onTick(peers, nowNs, agent);
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.state() == PeerConnection.State.CLOSED)
            {
                continue;
            }
            if (nowNs - peer.lastReceiveNs > 180_000_000_000L)
            {
                peer.close(CloseReason.TIMEOUT, "nothing received for 3 minutes");
                continue;
            }
            if (peer.state() != PeerConnection.State.ACTIVE)
            {
                if (nowNs - peer.lastReceiveNs > 20_000_000_000L)
                {
                    peer.close(CloseReason.TIMEOUT, "handshake not completed in 20 s");
                }
                continue;
            }
            if (peer.inFlight.size() > 0 && nowNs - peer.lastPieceNs > SNUB_NS)
            {
                peer.snubbed = true;
                peer.slowStartDepth = RequestQueueSizer.DEFAULT.minDepth();
                abandonRequests(peer);
            }
            else
            {
                // the peer answers, but not these: dropped or lost requests go back to the picker
                while (peer.inFlight.size() > 0 && nowNs - peer.inFlight.oldestSentAtNs() > STALE_REQUEST_NS)
                {
                    final int piece = peer.inFlight.piece(0);
                    final int block = peer.inFlight.block(0);
                    peer.inFlight.remove(piece, block);
                    picker.requestAbandoned(piece, block);
                }
            }
            if (nowNs - peer.lastSendNs > 90_000_000_000L)
            {
                messages.send(peer, PeerMessages.Kind.KEEP_ALIVE, 0, 0, 0);
            }
            fillRequests(peer);
        }
    }

    // ---- closing -----------------------------------------------------------------------------------------------

    @Override
    public void onClosed(final PeerConnection peer, final CloseReason reason, final String detail)
    {
        if (reason == CloseReason.PROTOCOL_VIOLATION || reason == CloseReason.BAD_HANDSHAKE)
        {
            stats.protocolViolations.incrementAndGet();
        }
        final int at = peers.indexOf(peer);
        if (at < 0)
        {
            return;
        }
        abandonRequests(peer);
        if (peer.peerHas != null)
        {
            if (peer.peerIsSeed)
            {
                picker.peerLeftHadAll();
            }
            else
            {
                picker.peerLeft(peer.peerHas);
            }
        }
        final PeerConnection last = peers.remove(peers.size() - 1);
        if (last != peer)
        {
            peers.set(at, last);
        }
        choking.peerDisconnected(peer.slot);
        usedSlots.clear(peer.slot);
        stats.peersConnected.setRelease(peers.size());
        if (!peer.amChoking)
        {
            rechoke(true);
        }
        agent.onPeerClosed(this, peer, reason);
    }

    private void ban(final PeerConnection peer, final CloseReason reason, final String detail)
    {
        banned.add(peer.remote());
        stats.peersBanned.incrementAndGet();
        peer.close(reason, detail);
    }

    /** Closes every connection (shutdown, or a fatal storage error). */
    void stop(final CloseReason reason)
    {
        stopped = true;
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            peers.get(i).close(reason, "torrent stopping");
        }
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    private void setInterested(final PeerConnection peer, final boolean interested)
    {
        if (peer.amInterested != interested)
        {
            peer.amInterested = interested;
            messages.send(peer, interested ? PeerMessages.Kind.INTERESTED : PeerMessages.Kind.NOT_INTERESTED, 0, 0, 0);
        }
    }

    private void updateInterest(final PeerConnection peer)
    {
        final boolean interesting = !picker.isComplete() &&
            (peer.peerIsSeed || picker.isInteresting(peer.peerHas));
        if (interesting != peer.amInterested)
        {
            setInterested(peer, interesting);
        }
        if (interesting)
        {
            fillRequests(peer);
        }
    }

    /** Endgame filter: blocks this peer already has in flight (reused, no allocation). */
    private static final class RequestedBy implements PiecePicker.BlockFilter
    {
        PeerConnection peer;

        @Override
        public boolean test(final int piece, final int block)
        {
            return peer.inFlight.contains(piece, block);
        }
    }
}
