package io.spate.agent;

import io.spate.choke.Choker;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.peer.PeerHandler;
import io.spate.peer.SendBufferSizer;
import io.spate.picker.PiecePicker;
import io.spate.ratelimit.TokenBucket;
import io.spate.storage.TorrentStorage;
import io.spate.verify.PieceResult;
import io.spate.webseed.WebSeedClient;
import io.spate.webseed.WebSeedState;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.MetadataMessage;
import io.spate.wire.PexMessage;
import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * One torrent on its owning network agent: its connections, and the one handler their decoders dispatch to. Each
 * message goes to the concern it belongs to: {@link Downloads} (what peers have, our requests, blocks to the ring),
 * {@link Uploads} (their requests, choking), {@link BanPolicy}, {@link MetadataServer} and {@link PeerExchange}; web
 * seeds have {@link SessionWebSeeds}. The session itself checks handshakes, opens conversations, routes the disk's
 * verdicts and runs the timers. All methods run on the agent's thread; pieces are announced (HAVE) and served only
 * once the pipeline reports them verified.
 */
public final class TorrentSession implements PeerHandler
{
    /** Nothing received from an active peer for this long: it is gone. */
    private static final long IDLE_TIMEOUT_NS = 180_000_000_000L;
    /** Nothing sent to a peer for this long: a keep-alive says we are still here. */
    private static final long KEEP_ALIVE_NS = 90_000_000_000L;
    private static final SendBufferSizer SEND_BUFFERS = new SendBufferSizer();

    private final SessionHost host;
    private final int torrentId;
    private final Metainfo metainfo;
    private final TorrentStorage storage;
    private final byte[] infoHash;
    private final byte[] ourPeerId;
    private final PiecePicker picker;
    private final TorrentStats stats;
    private final TorrentListener listener;
    private final List<PeerConnection> peers = new ArrayList<>();
    /** Stable per-connection ids for the choker, reused after a peer leaves. */
    private final BitSet usedSlots = new BitSet();
    private final BanPolicy bans;
    private final Downloads downloads;
    private final Uploads uploads;
    /** Non-null while we super-seed (BEP 16): only when asked and seeding from the start. */
    private final SuperSeeding superSeeding;
    private final MetadataServer metadataServer;
    private final PeerExchange peerExchange;
    private final SessionWebSeeds webSeeds = new SessionWebSeeds();
    private final FileSelection selection;
    /** Our BEP 10 handshake for this torrent (with ut_metadata unless it is private). */
    private final byte[] extensionHandshake;
    private boolean completeAnnounced;
    private boolean stopped;
    /** The swarm lab's once-a-second trace (SwarmTrace), or null: it is off unless asked for. */
    private SwarmTrace trace;
    private boolean traceChecked;

    TorrentSession(final SessionHost host, final int torrentId, final TorrentStorage storage,
        final BitSet verified, final byte[] ourPeerId, final TorrentStats stats, final TorrentListener listener,
        final ExtensionHandshakes handshakes, final SessionOptions options, final long seed)
    {
        this(host, torrentId, storage, verified, ourPeerId, stats, listener, handshakes, options, seed, null);
    }

    /** @param priorities the files' priorities, or null when every file is wanted. */
    TorrentSession(final SessionHost host, final int torrentId, final TorrentStorage storage,
        final BitSet verified, final byte[] ourPeerId, final TorrentStats stats, final TorrentListener listener,
        final ExtensionHandshakes handshakes, final SessionOptions options, final long seed,
        final FilePriorities priorities)
    {
        this.host = host;
        this.torrentId = torrentId;
        this.storage = storage;
        this.metainfo = storage.metainfo();
        this.infoHash = metainfo.infoHash();
        this.ourPeerId = ourPeerId;
        this.stats = stats;
        this.listener = listener;
        this.picker = new PiecePicker(metainfo.pieceCount(), metainfo.pieceLength(), metainfo.totalLength(), seed);
        picker.inOrder(options.sequential());
        this.bans = new BanPolicy(metainfo, storage, stats, peers);
        this.downloads = new Downloads(host, torrentId, picker, stats, bans, peers, metainfo.pieceCount());
        this.superSeeding = options.superSeed() && verified.cardinality() == metainfo.pieceCount() ?
            new SuperSeeding(peers, metainfo.pieceCount()) : null;
        this.uploads = new Uploads(peers, new Choker(options.unchokeSlots(), Choker.DEFAULT_RECHOKE_INTERVAL_NS,
            Choker.DEFAULT_OPTIMISTIC_INTERVAL_NS, options.seedChoking(), seed), picker, stats, bans,
            superSeeding, options.freeRider(), host.limits().upload(), ExtensionHandshakes.MAX_UPLOAD_QUEUE);
        this.metadataServer = new MetadataServer(metainfo);
        this.peerExchange = new PeerExchange(metainfo.isPrivate());
        this.extensionHandshake = handshakes.forTorrent(metadataServer.metadataSize(), peerExchange.enabled());
        long have = 0;
        for (int piece = verified.nextSetBit(0); piece >= 0; piece = verified.nextSetBit(piece + 1))
        {
            picker.markHave(piece);
            have += metainfo.pieceSize(piece);
        }
        stats.verifiedBytes.setRelease(have);
        this.selection = new FileSelection(metainfo, priorities);
        selection.start(picker, stats);
        if (picker.isFinished())
        {
            completeAnnounced = true;
            stats.completedAtNs.setRelease(host.nowNs());
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

    /** Every wanted piece is verified (every piece, unless files are skipped). */
    public boolean isFinished()
    {
        return picker.isFinished();
    }

    FilePriorities filePriorities()
    {
        return selection.priorities();
    }

    /**
     * New file priorities (their skipped files' bytes already moved into real files when wanted again): the picker
     * and the wanted figures follow, interest in each peer is weighed again, and a torrent that has more to fetch is
     * no longer finished (its completion is announced again when it is).
     */
    void filePriorities(final FilePriorities priorities)
    {
        selection.apply(priorities, picker, stats);
        if (!picker.isFinished())
        {
            completeAnnounced = false;
            stats.completedAtNs.setRelease(0);
        }
        for (int i = 0; i < peers.size(); i++)
        {
            if (peers.get(i).state() == PeerConnection.State.ACTIVE)
            {
                downloads.updateInterest(peers.get(i));
            }
        }
        announceIfFinished();
    }

    TorrentStats statsRef()
    {
        return stats;
    }

    BitSet verifiedPieces()
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

    /** Its connections as the API shows them; {@code sourceOf} tells where each dialled address was heard of. */
    List<PeerSnapshot> peerSnapshots(final Function<InetSocketAddress, PeerSource> sourceOf)
    {
        return PeerSnapshots.of(peers, metainfo.pieceCount(), bans, superSeeding, sourceOf);
    }

    /** Its web seeds' states (BEP 19), for the API. */
    List<WebSeedState> webSeedStates()
    {
        return webSeeds.states(metainfo, host.nowNs());
    }

    /** From now on new pieces are picked in index order (streaming) when true, else rarest first. */
    void sequential(final boolean inOrder)
    {
        picker.inOrder(inOrder);
    }

    public boolean isBanned(final InetSocketAddress address)
    {
        return bans.isBanned(address);
    }

    /**
     * @return true when a connection goes to {@code address}, or came from a peer that listens there (BEP 10's "p"): a
     * tracker hands back the listen address of a peer that dialled us, and dialling it again only ended in DUPLICATE
     * once the handshakes met (~170 such closes a minute per leecher in a swarm of 9, each connection's buffers
     * allocated for nothing, perf-results/memory/SUMMARY.md).
     */
    boolean isConnectedTo(final InetSocketAddress address)
    {
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.remote().equals(address) ||
                peer.claims() != null && address.equals(peer.claims().listenAddress()))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts fetching from the torrent's web seeds, if it has any and lacks wanted pieces (on the agent's thread);
     * called again when file priorities change, so a finished torrent fetches the files wanted later.
     */
    void startWebSeeds(final WebSeedClient client)
    {
        if (!stopped && !picker.isFinished() && !metainfo.urlList().isEmpty())
        {
            webSeeds.start(this, host, client, new WebSeedBlocks(host, torrentId, picker, stats, downloads), listener);
        }
    }

    void add(final PeerConnection peer)
    {
        peers.add(peer);
        peer.slot(usedSlots.nextClearBit(0));
        usedSlots.set(peer.slot());
        uploads.peerConnected(peer, host.nowNs());
        stats.peersConnected.setRelease(peers.size());
    }

    // ---- the conversation's opening ----------------------------------------------------------------------------

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
        if (bans.isBanned(peer.remote(), peerId))
        {
            peer.close(CloseReason.SENT_BAD_DATA, "banned earlier for bad data");
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
            peer.sendHandshake(infoHash, ourPeerId, dhtPort() > 0);
        }
        host.reached(this, peer);
        return true;
    }

    @Override
    public void onActive(final PeerConnection peer)
    {
        if (superSeeding != null)
        {
            superSeeding.onActive(peer, host.nowNs());
        }
        else
        {
            peer.announcePieces(picker.haveBitfield());
        }
        if (peer.claims().extended() && !peer.sendExtended(ExtensionHandshake.HANDSHAKE_ID, extensionHandshake, null,
            0, 0))
        {
            peer.close(CloseReason.SEND_BUFFER_OVERFLOW, "extension handshake does not fit");
        }
        if (peer.claims().dht() && dhtPort() > 0)
        {
            peer.sendPort(dhtPort()); // BEP 5, after the pieces (BEP 6 wants those first)
        }
    }

    /** Our DHT node's port as this torrent may name it: 0 without a node, and for a private torrent (BEP 27). */
    int dhtPort()
    {
        return metainfo.isPrivate() ? 0 : host.dht().port();
    }

    @Override
    public void onPort(final PeerConnection peer, final int port)
    {
        if (dhtPort() > 0 && peer.claims().firstPort())
        {
            host.dht().peerPort(peer.remote().getAddress(), port);
        }
    }

    // ---- messages, each to its concern -------------------------------------------------------------------------

    @Override
    public void onChoke(final PeerConnection peer)
    {
        downloads.onChoke(peer);
    }

    @Override
    public void onUnchoke(final PeerConnection peer)
    {
        downloads.onUnchoke(peer);
    }

    @Override
    public void onInterested(final PeerConnection peer)
    {
        rechoke(uploads.onInterested(peer, true));
    }

    @Override
    public void onNotInterested(final PeerConnection peer)
    {
        rechoke(uploads.onInterested(peer, false));
    }

    @Override
    public void onHave(final PeerConnection peer, final int piece)
    {
        downloads.onHave(peer, piece);
        if (superSeeding != null)
        {
            superSeeding.onHave(peer, piece, host.nowNs());
        }
    }

    @Override
    public void onBitfield(final PeerConnection peer, final DirectBuffer buf, final int offset, final int length)
    {
        downloads.onBitfield(peer, buf, offset, length);
    }

    @Override
    public void onHaveAll(final PeerConnection peer)
    {
        downloads.onHaveAll(peer);
    }

    @Override
    public void onRequest(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        uploads.onRequest(peer, piece, begin, length);
    }

    @Override
    public void onCancel(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        uploads.onCancel(peer, piece, begin, length);
    }

    @Override
    public void onPiece(final PeerConnection peer, final int piece, final int begin, final DirectBuffer buf,
        final int offset, final int length)
    {
        downloads.onPiece(peer, piece, begin, buf, offset, length);
    }

    @Override
    public void onRejectRequest(final PeerConnection peer, final int piece, final int begin, final int length)
    {
        downloads.onReject(peer, piece, begin);
    }

    @Override
    public boolean mayUpload(final PeerConnection peer, final int bytes)
    {
        return uploads.admit(bytes, host.nowNs());
    }

    /** This torrent's upload limit, changed live from any thread ({@link TokenBucket#rate(long)}). */
    TokenBucket uploadLimit()
    {
        return uploads.torrentLimit();
    }

    /** This torrent's download limit, changed live from any thread. */
    TokenBucket downloadLimit()
    {
        return downloads.torrentLimit();
    }

    @Override
    public int downloadAllowance(final PeerConnection peer)
    {
        return downloads.readAllowance(host.nowNs());
    }

    @Override
    public void onDownloaded(final PeerConnection peer, final int bytes)
    {
        downloads.read(bytes);
    }

    @Override
    public void onBlockSent(final PeerConnection peer, final int length)
    {
        uploads.onBlockSent(length);
    }

    @Override
    public void onExtended(final PeerConnection peer, final int extendedId, final DirectBuffer buf, final int offset,
        final int length)
    {
        if (extendedId == MetadataMessage.OUR_EXTENDED_ID)
        {
            metadataServer.onMessage(peer, buf, offset, length);
        }
        else if (extendedId == PexMessage.OUR_EXTENDED_ID)
        {
            host.addPeers(this, peerExchange.onMessage(peer, buf, offset, length, peers, host.nowNs()),
                PeerSource.PEX);
        }
        else if (extendedId == ExtensionHandshake.HANDSHAKE_ID)
        {
            // control path: once per connection. A handshake we cannot read means "no extensions", not a bad peer.
            final ExtensionHandshake handshake = ExtensionHandshake.decode(buf, offset, length);
            if (handshake != null)
            {
                peer.claims().extensionHandshake(handshake, peer.outgoing() ? null : peer.remote());
                peerExchange.onHandshake(peer, host.nowNs());
            }
        }
        // we offer ut_metadata and ut_pex only: nothing else to read
    }

    // ---- the disk's verdicts -----------------------------------------------------------------------------------

    void onPieceResult(final int piece, final int result)
    {
        if (stopped)
        {
            return;
        }
        stats.pieceVerify.record(downloads.verifyLatencyNs(piece));
        if (result == PieceResult.VERIFIED)
        {
            bans.pieceVerified(piece);
            downloads.pieceVerified(piece);
            webSeeds.pieceVerified(piece);
            stats.verifiedBytes.setRelease(stats.verifiedBytes.getPlain() + metainfo.pieceSize(piece));
            selection.pieceVerified(piece, stats);
            announceIfFinished();
        }
        else if (result == PieceResult.HASH_FAILED)
        {
            stats.hashFailures.incrementAndGet();
            bans.pieceFailed(piece);
            webSeeds.pieceFailed(piece); // before the peers pick the piece again
            downloads.pieceFailed(piece);
        }
        else if (result == PieceResult.WRITE_FAILED)
        {
            final String error = host.writeError(torrentId);
            stop(CloseReason.SHUTDOWN);
            listener.onError(error != null ? error : "writing piece " + piece + " failed");
        }
    }

    /**
     * Once every wanted piece is verified: the completion, once. Seeds are dropped only when we hold every piece (a
     * torrent finished with files skipped keeps them, to fetch those files if they are wanted later).
     */
    private void announceIfFinished()
    {
        if (!picker.isFinished() || completeAnnounced)
        {
            return;
        }
        completeAnnounced = true;
        stats.completedAtNs.setRelease(host.nowNs());
        if (picker.isComplete())
        {
            for (int i = peers.size() - 1; i >= 0; i--)
            {
                if (peers.get(i).claims().isSeed())
                {
                    peers.get(i).close(CloseReason.BOTH_SEEDS, "both sides complete");
                }
            }
        }
        listener.onComplete();
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    /** Recomputes who is unchoked: when due (every 10 s), or at once when forced (a peer came, left, got keen). */
    void rechoke(final boolean force)
    {
        uploads.rechoke(force, picker.isFinished(), host.nowNs());
    }

    /** Once a second: rates, peer exchange, idle and handshake timeouts, keep-alives, request timers, rechoke. */
    void onTick(final long nowNs)
    {
        long down = 0;
        long up = 0;
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            peer.traffic().sample(nowNs);
            peer.requests().rateSampled(peer.traffic().downloadRate());
            peer.uploadRateSampled(SEND_BUFFERS);
            down += peer.traffic().downloadRate();
            up += peer.traffic().uploadRate();
        }
        stats.downloadRate.setRelease(down + webSeeds.downloadRate(nowNs));
        stats.uploadRate.setRelease(up);
        peerExchange.onTick(peers, nowNs);
        if (superSeeding != null)
        {
            superSeeding.onTick(nowNs);
        }
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            final PeerConnection peer = peers.get(i);
            final long quietNs = nowNs - peer.traffic().lastReceiveNs();
            if (peer.state() == PeerConnection.State.ACTIVE)
            {
                if (quietNs > IDLE_TIMEOUT_NS)
                {
                    peer.close(CloseReason.TIMEOUT, "nothing received for 3 minutes");
                    continue;
                }
                if (nowNs - peer.traffic().lastSendNs() > KEEP_ALIVE_NS)
                {
                    peer.keepAlive();
                }
                downloads.onTick(peer, nowNs);
            }
            else if (peer.state() != PeerConnection.State.CLOSED && quietNs > PeerConnection.HANDSHAKE_TIMEOUT_NS)
            {
                peer.close(CloseReason.TIMEOUT, "handshake not completed in 20 s");
            }
        }
        rechoke(false);
        webSeeds.onTick(nowNs);
        if (!traceChecked)
        {
            traceChecked = true;
            try
            {
                trace = SwarmTrace.ifEnabled(nowNs);
            }
            catch (final java.io.UncheckedIOException ex)
            {
                listener.onWarning("no swarm trace: " + ex.getMessage()); // a diagnosis never stops the torrent
            }
        }
        if (trace != null)
        {
            trace.sample(nowNs, picker, peers, uploads);
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
        listener.onPeerClosed(peer.remote(), peer.traffic().downloaded(), peer.traffic().uploaded(), reason.name());
        downloads.peerLeft(peer);
        metadataServer.peerLeft(peer);
        peerExchange.peerLeft(peer);
        if (superSeeding != null)
        {
            superSeeding.peerLeft(peer);
        }
        final PeerConnection last = peers.remove(peers.size() - 1);
        if (last != peer)
        {
            peers.set(at, last);
        }
        uploads.peerDisconnected(peer);
        usedSlots.clear(peer.slot());
        stats.peersConnected.setRelease(peers.size());
        if (!peer.amChoking())
        {
            rechoke(true);
        }
        host.onPeerClosed(this, peer, reason);
    }

    /** Closes every connection (shutdown, or a fatal storage error). */
    void stop(final CloseReason reason)
    {
        stopped = true;
        if (trace != null)
        {
            trace.close();
            trace = null;
        }
        downloads.stop();
        webSeeds.stop();
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            peers.get(i).close(reason, "torrent stopping");
        }
    }
}
