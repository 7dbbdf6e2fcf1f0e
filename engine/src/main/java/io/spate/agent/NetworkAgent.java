package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metrics.CloseCounters;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.peer.HandshakeRouter;
import io.spate.verify.CompletionQueue;
import io.spate.verify.VerifyPipeline;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.Handshake;
import io.spate.wire.MessageDecoder;
import io.spate.wire.MetadataMessage;
import io.spate.wire.PexMessage;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * A network agent: owns one {@link Selector}, its peer connections and the torrents assigned to it. Each duty cycle
 * drains commands from the control path, drains piece results from the verify pipeline, polls sockets (blocking in
 * {@code select} when there is nothing to do, so idle costs nothing), flushes queued output and runs the
 * once-a-second timers. Other threads reach it only through {@link #offer(Runnable)}.
 */
public final class NetworkAgent implements Agent, HandshakeRouter
{
    static final int MAX_IN_FLIGHT = 512;
    /** Requests a peer may queue with us, advertised as reqq: Transmission keeps exactly this many in flight and
     * refills about once a second, so 512 capped it at 8 MiB/s (libtorrent advertises 2000). */
    static final int MAX_UPLOAD_QUEUE = 2048;
    static final int MAX_PEERS_PER_TORRENT = 80;
    private static final long TICK_NS = 1_000_000_000L;
    private static final long MAX_SELECT_MS = 100;
    private static final int COMMANDS_PER_CYCLE = 64;
    private static final int RESULTS_PER_CYCLE = 1024;
    private static final long MIN_BACKOFF_NS = 20_000;
    private static final long MAX_BACKOFF_NS = 1_000_000;

    private final int agentId;
    private final NanoClock clock;
    private final Selector selector;
    private final VerifyPipeline pipeline;
    private final CompletionQueue completions;
    private final byte[] ourPeerId;
    private final int listenPort;
    private final AtomicLong connectionIds;
    private final CloseCounters closeCounters;
    private final AgentDirectory directory;
    private final org.agrona.ErrorHandler errorHandler;
    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(4096);
    private final Int2ObjectHashMap<TorrentSession> sessionsById = new Int2ObjectHashMap<>();
    private final List<TorrentSession> sessions = new ArrayList<>();
    private final Map<TorrentSession, ArrayDeque<InetSocketAddress>> pendingDials = new HashMap<>();
    private final List<PeerConnection> handshaking = new ArrayList<>();
    private final List<PeerConnection> dirty = new ArrayList<>();
    private final Consumer<Runnable> runCommand = Runnable::run;
    private ServerSocketChannel listener;
    private PeerConnection handoffPeer;
    private AgentDirectory.Entry handoffEntry;
    private long now;
    private long nextTickNs;
    private boolean backpressured;
    private long backoffNs = MIN_BACKOFF_NS;
    /** False when several agents share one thread: one agent blocking in select would stall the others. */
    private boolean blockInSelect = true;
    private int readSlots;

    NetworkAgent(final int agentId, final NanoClock clock, final VerifyPipeline pipeline, final byte[] ourPeerId,
        final int listenPort, final AtomicLong connectionIds, final CloseCounters closeCounters,
        final AgentDirectory directory, final org.agrona.ErrorHandler errorHandler) throws IOException
    {
        this.errorHandler = errorHandler;
        this.agentId = agentId;
        this.clock = clock;
        this.selector = Selector.open();
        this.pipeline = pipeline;
        this.ourPeerId = ourPeerId;
        this.listenPort = listenPort;
        this.connectionIds = connectionIds;
        this.closeCounters = closeCounters;
        this.directory = directory;
        this.completions = new CompletionQueue(this::onPieceResult, selector::wakeup);
        pipeline.torrents().setAgent(agentId, completions);
        this.now = clock.nanoTime();
        this.nextTickNs = now + TICK_NS;
    }

    @Override
    public String roleName()
    {
        return "spate-network-" + agentId;
    }

    int agentId()
    {
        return agentId;
    }

    long nowNs()
    {
        return now;
    }

    VerifyPipeline pipeline()
    {
        return pipeline;
    }

    /**
     * The BEP 10 handshake we send for a torrent: our listen port, request queue depth and client name, BEP 9
     * ut_metadata with the info dictionary's size when we serve it ({@code metadataSize} > 0), and BEP 11 ut_pex
     * when we exchange peers. Once per torrent.
     */
    byte[] extensionHandshake(final long metadataSize, final boolean pex)
    {
        final Map<String, Integer> extensions = new HashMap<>();
        if (metadataSize > 0)
        {
            extensions.put(ExtensionHandshake.UT_METADATA, MetadataMessage.OUR_EXTENDED_ID);
        }
        if (pex)
        {
            extensions.put(ExtensionHandshake.UT_PEX, PexMessage.OUR_EXTENDED_ID);
        }
        return new ExtensionHandshake(extensions, "Spate 0.1", listenPort, MAX_UPLOAD_QUEUE, metadataSize, null)
            .encode();
    }

    /** Makes the agent poll without blocking; the runner's idle strategy then decides how to wait. */
    void neverBlock()
    {
        blockInSelect = false;
    }

    /** Queues a command for this agent's thread (control path) and wakes it. */
    void offer(final Runnable command)
    {
        while (!commands.offer(command))
        {
            LockSupport.parkNanos(100_000);
        }
        selector.wakeup();
    }

    /** Takes the listening socket; incoming connections are routed to the torrent named in their handshake. */
    void listen(final ServerSocketChannel channel) throws IOException
    {
        this.listener = channel;
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT);
    }

    // ---- duty cycle --------------------------------------------------------------------------------------------

    @Override
    public int doWork() throws IOException
    {
        now = clock.nanoTime();
        final int commandsRun = commands.drain(runCommand, COMMANDS_PER_CYCLE);
        final int results = completions.drain(RESULTS_PER_CYCLE);
        int work = commandsRun + results;
        work += flushDirty(); // what the commands and piece results queued goes out before select may block
        backpressured = false;
        readSlots = 0;
        final int selected;
        if (blockInSelect && commandsRun < COMMANDS_PER_CYCLE && results < RESULTS_PER_CYCLE)
        {
            // returns at once when a socket is ready, else sleeps until one is, a wakeup (commands, piece results)
            // or the next tick: nothing else makes work. The one select call a busy agent makes, so C2 inlines
            // the selector into the duty cycle once (with a non-blocking call whenever the last cycle did work, it
            // was inlined twice: perf-results/jit/)
            final long untilTickMs = Math.max(1, (nextTickNs - now) / 1_000_000);
            selected = selector.select(Math.min(MAX_SELECT_MS, untilTickMs));
        }
        else
        {
            selected = selector.selectNow();
        }
        now = clock.nanoTime();
        if (selected > 0)
        {
            handleSelectedKeys();
            now = clock.nanoTime();
        }
        work += selected;
        work += flushDirty();
        if (now >= nextTickNs)
        {
            // the timer step, written here rather than in a method of its own: this keeps doWork above C2's
            // 325-bytecode FreqInlineSize, so C2 compiles the duty cycle as doWork itself instead of inlining all of it
            // into Agrona's AgentRunner.doWork as well (two or three compiles of ~7K bytecodes, 0.5-0.9 s each, late
            // in a 1 GiB leech: perf-results/jit/SUMMARY.md)
            for (int i = handshaking.size() - 1; i >= 0; i--)
            {
                final PeerConnection peer = handshaking.get(i);
                if (now - peer.lastReceiveNs > 20_000_000_000L)
                {
                    peer.close(CloseReason.TIMEOUT, "no handshake in 20 s");
                }
            }
            for (int s = 0; s < sessions.size(); s++)
            {
                final TorrentSession session = sessions.get(s);
                updateRates(session);
                session.onTick(now);
                session.rechoke(false);
                dialPending(session);
            }
            nextTickNs = now + TICK_NS;
            work++;
        }
        if (backpressured)
        {
            // the ring is full: step aside for the disk handlers (on two cores they need this CPU) with
            // parks growing to 1 ms, rather than polling readable sockets we may not read yet
            LockSupport.parkNanos(backoffNs);
            backoffNs = Math.min(backoffNs << 1, MAX_BACKOFF_NS);
        }
        else
        {
            backoffNs = MIN_BACKOFF_NS;
        }
        return work;
    }

    /**
     * Handles the keys the last select found ready. Not through {@code select(Consumer)}: C2 inlined the whole
     * per-socket path under each of the two select calls, into one compile that took ~0.9 s in the middle of a 1 GiB
     * leech (-XX:+LogCompilation, perf-results/jit/); here it is inlined once.
     */
    private void handleSelectedKeys()
    {
        final Set<SelectionKey> keys = selector.selectedKeys();
        try
        {
            for (final SelectionKey key : keys)
            {
                onKey(key);
            }
        }
        finally
        {
            keys.clear();
        }
    }

    private void onKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        if (key.isAcceptable())
        {
            accept();
            return;
        }
        final PeerConnection peer = (PeerConnection)key.attachment();
        try
        {
            if (key.isConnectable())
            {
                if (peer.finishConnect())
                {
                    markDirty(peer);
                }
                return;
            }
            if (key.isWritable())
            {
                peer.flush(now);
            }
            if (key.isValid() && key.isReadable())
            {
                if (!pipeline.hasCapacity(readSlots + peer.readCapacityInBlocks()))
                {
                    backpressured = true;
                    return;
                }
                readSlots += peer.readCapacityInBlocks();
                peer.onReadable(now);
                if (handoffPeer != null)
                {
                    completeHandoff();
                }
            }
        }
        catch (final IOException ex)
        {
            peer.close(CloseReason.CONNECT_FAILED, ex.getMessage());
        }
        catch (final java.nio.channels.CancelledKeyException ex)
        {
            peer.close(CloseReason.IO_ERROR, "key cancelled");
        }
        catch (final RuntimeException ex)
        {
            // contain a fault to the connection that triggered it; the agent and every other peer go on
            errorHandler.onError(ex);
            peer.close(CloseReason.INTERNAL_ERROR, ex.toString());
        }
    }

    private int flushDirty()
    {
        final int n = dirty.size();
        for (int i = 0; i < n; i++)
        {
            final PeerConnection peer = dirty.get(i);
            peer.dirty = false;
            if (peer.state() != PeerConnection.State.CLOSED && peer.state() != PeerConnection.State.CONNECTING)
            {
                peer.flush(now);
            }
        }
        dirty.clear();
        return n;
    }

    void markDirty(final PeerConnection peer)
    {
        if (!peer.dirty)
        {
            peer.dirty = true;
            dirty.add(peer);
        }
    }

    long claimBlockSlot()
    {
        final long sequence = pipeline.tryClaim();
        return sequence >= 0 ? sequence : pipeline.claim();
    }

    private void onPieceResult(final int torrentId, final int piece, final int result)
    {
        final TorrentSession session = sessionsById.get(torrentId);
        if (session != null)
        {
            session.onPieceResult(piece, result);
        }
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    private void updateRates(final TorrentSession session)
    {
        long down = 0;
        long up = 0;
        for (int i = 0; i < session.peers().size(); i++)
        {
            final PeerConnection peer = session.peers().get(i);
            final long d = peer.downloadedBytes - peer.rateSampleDownloaded;
            final long u = peer.uploadedBytes - peer.rateSampleUploaded;
            peer.rateSampleDownloaded = peer.downloadedBytes;
            peer.rateSampleUploaded = peer.uploadedBytes;
            peer.downloadMeter.record(d, now);
            peer.uploadMeter.record(u, now);
            peer.downloadRate = peer.downloadMeter.rate(now);
            peer.uploadRate = peer.uploadMeter.rate(now);
            down += peer.downloadRate;
            up += peer.uploadRate;
        }
        session.statsRef().downloadRate.setRelease(down);
        session.statsRef().uploadRate.setRelease(up);
    }

    // ---- torrents and peers (commands run on this thread) ------------------------------------------------------

    void addSession(final TorrentSession session)
    {
        sessions.add(session);
        sessionsById.put(session.torrentId(), session);
        pendingDials.put(session, new ArrayDeque<>());
    }

    void removeSession(final TorrentSession session)
    {
        directory.remove(session.infoHashRef()); // no new connection is routed to a stopped torrent
        session.stop(CloseReason.SHUTDOWN);
        flushDirty();
        sessions.remove(session);
        sessionsById.remove(session.torrentId());
        pendingDials.remove(session);
    }

    void addPeers(final TorrentSession session, final List<InetSocketAddress> addresses)
    {
        final ArrayDeque<InetSocketAddress> queue = pendingDials.get(session);
        if (queue == null)
        {
            return;
        }
        for (final InetSocketAddress address : addresses)
        {
            if (!session.isBanned(address) && !session.isConnectedTo(address) && !queue.contains(address) &&
                !isOwnListenAddress(address))
            {
                queue.add(address);
            }
        }
        dialPending(session);
    }

    private boolean isOwnListenAddress(final InetSocketAddress address)
    {
        try
        {
            if (listener == null)
            {
                return false;
            }
            final InetSocketAddress local = (InetSocketAddress)listener.getLocalAddress();
            return local.getPort() == address.getPort() &&
                (local.getAddress().isAnyLocalAddress() && address.getAddress().isLoopbackAddress() ||
                local.getAddress().equals(address.getAddress()));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private void dialPending(final TorrentSession session)
    {
        final ArrayDeque<InetSocketAddress> queue = pendingDials.get(session);
        while (queue != null && !queue.isEmpty() && session.peers().size() < MAX_PEERS_PER_TORRENT)
        {
            final InetSocketAddress address = queue.poll();
            if (session.isConnectedTo(address) || session.isBanned(address))
            {
                continue;
            }
            dial(session, address);
        }
    }

    private void dial(final TorrentSession session, final InetSocketAddress address)
    {
        SocketChannel channel = null;
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final boolean connected = channel.connect(address);
            final PeerConnection peer = newConnection(channel, address, true);
            peer.attach(session, session.storage(), newDecoder(session.metainfo()), session.metainfo().pieceCount());
            peer.key(channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, peer));
            session.add(peer);
            peer.sendHandshake(session.infoHashRef(), ourPeerId);
            if (connected)
            {
                peer.finishConnect();
                markDirty(peer);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            closeCounters.increment(CloseReason.CONNECT_FAILED);
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // nothing to do
                }
            }
        }
    }

    private void accept()
    {
        for (int i = 0; i < 16; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
                if (channel == null)
                {
                    return;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final PeerConnection peer = newConnection(
                    channel, (InetSocketAddress)channel.getRemoteAddress(), false);
                peer.router(this);
                peer.key(channel.register(selector, SelectionKey.OP_READ, peer));
                handshaking.add(peer);
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }

    private PeerConnection newConnection(final SocketChannel channel, final InetSocketAddress remote,
        final boolean outgoing)
    {
        return new PeerConnection(connectionIds.incrementAndGet(), channel, remote, outgoing,
            MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 4 + Handshake.LENGTH, MAX_IN_FLIGHT, MAX_UPLOAD_QUEUE, now);
    }

    private static MessageDecoder newDecoder(final Metainfo metainfo)
    {
        return new MessageDecoder(metainfo.pieceCount(), metainfo.pieceLength(), metainfo.lastPieceLength());
    }

    /** Takes over an accepted connection whose handshake named a torrent of this agent. */
    private void adopt(final PeerConnection peer, final TorrentSession session)
    {
        try
        {
            peer.attach(session, session.storage(), newDecoder(session.metainfo()), session.metainfo().pieceCount());
            peer.key(peer.channel().register(selector, SelectionKey.OP_READ, peer));
            session.add(peer);
            peer.processBuffered(now);
            markDirty(peer);
        }
        catch (final IOException ex)
        {
            peer.close(CloseReason.IO_ERROR, ex.getMessage());
        }
    }

    // ---- routing of accepted connections until their handshake names a torrent ------------------------------------

    @Override
    public Outcome route(final PeerConnection peer, final byte[] infoHash, final byte[] peerId)
    {
        handshaking.remove(peer);
        final AgentDirectory.Entry entry = directory.find(infoHash);
        if (entry == null)
        {
            return Outcome.REFUSED;
        }
        final TorrentSession session = entry.session();
        if (entry.agent() == this)
        {
            peer.attach(session, session.storage(), newDecoder(session.metainfo()), session.metainfo().pieceCount());
            session.add(peer);
            return Outcome.ATTACHED;
        }
        peer.key().cancel();
        peer.key(null);
        // offered only once this thread has left the connection (end of onKey): no two threads ever touch it
        handoffPeer = peer;
        handoffEntry = entry;
        return Outcome.HANDED_OVER;
    }

    private void completeHandoff()
    {
        final PeerConnection peer = handoffPeer;
        final AgentDirectory.Entry entry = handoffEntry;
        handoffPeer = null;
        handoffEntry = null;
        entry.agent().offer(() -> entry.agent().adopt(peer, entry.session()));
    }

    @Override
    public void onClosed(final PeerConnection peer, final CloseReason reason, final String detail)
    {
        handshaking.remove(peer);
        closeCounters.increment(reason);
    }

    void onPeerClosed(final TorrentSession session, final PeerConnection peer, final CloseReason reason)
    {
        closeCounters.increment(reason);
        dialPending(session);
    }

    @Override
    public void onClose()
    {
        completions.close();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            removeSession(sessions.get(i));
        }
        for (int i = handshaking.size() - 1; i >= 0; i--)
        {
            handshaking.get(i).close(CloseReason.SHUTDOWN, "engine closing");
        }
        try
        {
            if (listener != null)
            {
                listener.close();
            }
            selector.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
