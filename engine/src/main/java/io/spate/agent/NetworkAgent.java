package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metrics.CloseCounters;
import io.spate.dht.DhtLink;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.peer.FlushScheduler;
import io.spate.peer.ReceiveBuffers;
import io.spate.ratelimit.RateLimits;
import io.spate.verify.BlockEvent;
import io.spate.verify.CompletionQueue;
import io.spate.verify.VerifyPipeline;
import io.spate.wire.Handshake;
import io.spate.wire.MessageDecoder;
import org.agrona.CloseHelper;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.concurrent.locks.LockSupport;

/**
 * A network agent: owns one {@link Selector}, its peer connections and the torrents assigned to it. Each duty cycle
 * drains commands from the control path, drains piece results from the verify pipeline, polls sockets (blocking in
 * {@code select} when there is nothing to do, so idle costs nothing), flushes queued output and runs the
 * once-a-second timers. Other threads reach it only through {@link #offer(Runnable)}.
 */
public final class NetworkAgent implements Agent, SessionHost, FlushScheduler
{
    static final int MAX_IN_FLIGHT = 512;
    /**
     * Bytes of a connection's read buffer: the largest frame and a handshake, rounded up to a power of two (256 KiB).
     * The buffers that blocks wait in for the disk handlers may hold {@link ReceiveBuffers#maxRetired}, then reads wait.
     */
    static final int READ_BUFFER = org.agrona.BitUtil.findNextPositivePowerOfTwo(
        MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 4 + Handshake.LENGTH);
    /**
     * Bytes of a connection's first read buffer: a handshake, a bitfield of up to 130,000 pieces, and requests, which
     * is all a seed's connections carry. A connection moves on to {@link #READ_BUFFER}s at its first block (a 16 KiB
     * block's frame does not fit) or longer frame ({@link ReceiveBuffers}).
     */
    static final int START_READ_BUFFER = 16 * 1024;
    private static final long TICK_NS = 1_000_000_000L;
    private static final long MAX_SELECT_MS = 100;
    private static final int COMMANDS_PER_CYCLE = 64;
    private static final int RESULTS_PER_CYCLE = 1024;
    private static final long MIN_BACKOFF_NS = 20_000;
    private static final long MAX_BACKOFF_NS = 1_000_000;
    private static final long HELD_BACK_RETRY_NS = 5_000_000;

    private final int agentId;
    private final NanoClock clock;
    private final Selector selector;
    private final VerifyPipeline pipeline;
    private final CompletionQueue completions;
    private final ReceiveBuffers receiveBuffers;
    private final byte[] ourPeerId;
    private final ExtensionHandshakes extensionHandshakes;
    private final AtomicLong connectionIds;
    private final CloseCounters closeCounters;
    private final AgentDirectory directory;
    private final org.agrona.ErrorHandler errorHandler;
    /**
     * Commands from other threads (control path, hand-overs from other agents): JCTools' MpscArrayQueue, as fast as or
     * faster than Agrona's ManyToOneConcurrentArrayQueue in 5 of 6 cases measured (perf-results/queues/).
     */
    private final MpscArrayQueue<Runnable> commands = new MpscArrayQueue<>(4096);
    private final Int2ObjectHashMap<TorrentSession> sessionsById = new Int2ObjectHashMap<>();
    private final List<TorrentSession> sessions = new ArrayList<>();
    private final PeerContacts contacts = new PeerContacts();
    private final BiConsumer<TorrentSession, InetSocketAddress> dial = this::dial;
    private final List<PeerConnection> dirty = new ArrayList<>();
    /** Connections whose blocks or reads a rate limit held back, retried every {@link #HELD_BACK_RETRY_NS}. */
    private final List<PeerConnection> heldBack = new ArrayList<>();
    private final RateLimits limits;
    private final DhtLink dht;
    private long heldBackRetryNs;
    private final MessagePassingQueue.Consumer<Runnable> runCommand = Runnable::run;
    private final Acceptor acceptor;
    private long now;
    private long nextTickNs;
    private boolean backpressured;
    private long backoffNs = MIN_BACKOFF_NS;
    /** False when several agents share one thread: one agent blocking in select would stall the others. */
    private boolean blockInSelect = true;
    private int readSlots;
    /** The last cycle drained as many commands or piece results as one cycle may: select must not sleep. */
    private boolean queuesLeftOver;
    /** Set once the agent's runner has closed it: commands offered from then on never run. */
    private volatile boolean closed;

    NetworkAgent(final int agentId, final NanoClock clock, final VerifyPipeline pipeline, final byte[] ourPeerId,
        final int listenPort, final AtomicLong connectionIds, final CloseCounters closeCounters,
        final AgentDirectory directory, final RateLimits limits, final DhtLink dht,
        final org.agrona.ErrorHandler errorHandler) throws IOException
    {
        this.dht = dht;
        this.limits = limits;
        this.errorHandler = errorHandler;
        this.agentId = agentId;
        this.clock = clock;
        this.selector = Selector.open();
        this.pipeline = pipeline;
        this.ourPeerId = ourPeerId;
        this.extensionHandshakes = new ExtensionHandshakes(listenPort);
        this.connectionIds = connectionIds;
        this.closeCounters = closeCounters;
        this.directory = directory;
        this.acceptor = new Acceptor(this, directory, closeCounters);
        this.completions = new CompletionQueue(this::onPieceResult, selector::wakeup);
        this.receiveBuffers = new ReceiveBuffers(START_READ_BUFFER, READ_BUFFER, pipeline.diskHandlers(),
            ReceiveBuffers.maxRetired(READ_BUFFER, (long)pipeline.ringSize() * BlockEvent.MAX_BLOCK),
            pipeline.waitingReadBuffers(), pipeline::cursor, pipeline::processedUpTo);
        pipeline.torrents().setAgent(agentId, completions);
        this.now = clock.nanoTime();
        this.nextTickNs = now + TICK_NS;
    }

    @Override
    public String roleName()
    {
        return "spate-network-" + agentId;
    }

    @Override
    public int agentId()
    {
        return agentId;
    }

    @Override
    public long nowNs()
    {
        return now;
    }

    VerifyPipeline pipeline()
    {
        return pipeline;
    }

    ExtensionHandshakes extensionHandshakes()
    {
        return extensionHandshakes;
    }

    byte[] ourPeerId()
    {
        return ourPeerId;
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
        acceptor.listen(channel);
        contacts.ownListenAddress((InetSocketAddress)channel.getLocalAddress());
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT);
    }

    // ---- duty cycle --------------------------------------------------------------------------------------------

    @Override
    public int doWork() throws IOException
    {
        // One cycle: select, the ready sockets, commands and piece results, timers, then one flush of every connection
        // with output. Each step has one call site, so C2 inlines each once: with a flush before select and another
        // after the keys, the whole write path was inlined twice, and a swarm leecher's compile of this method held
        // up to 30 MiB of compiler arena (JDK 25 MemStat, perf-results/memory/SUMMARY.md, 2026-12-07 06:00).
        backpressured = false;
        readSlots = 0;
        final int selected;
        if (blockInSelect && !queuesLeftOver)
        {
            // returns at once when a socket is ready, else sleeps until one is, a wakeup (commands, piece results)
            // or the next tick: nothing else makes work. The last cycle ended with its flush, so nothing waits
            // behind the sleep. One select call site, so C2 inlines the selector into the duty cycle once
            now = clock.nanoTime();
            final long untilNs = heldBack.isEmpty() ? nextTickNs - now : Math.min(nextTickNs, heldBackRetryNs) - now;
            selected = selector.select(Math.min(MAX_SELECT_MS, Math.max(1, untilNs / 1_000_000)));
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
        final int commandsRun = commands.drain(runCommand, COMMANDS_PER_CYCLE);
        final int results = completions.drain(RESULTS_PER_CYCLE);
        queuesLeftOver = commandsRun == COMMANDS_PER_CYCLE || results == RESULTS_PER_CYCLE;
        int work = selected + commandsRun + results;
        if (!heldBack.isEmpty() && now >= heldBackRetryNs)
        {
            retryHeldBack();
        }
        if (now >= nextTickNs)
        {
            // once a second: handshake timeouts, each torrent's timers (rates, requests, choking, PEX), queued dials
            acceptor.onTick(now);
            receiveBuffers.reclaim(); // an idle agent's retired buffers must not hold the engine's shared bound
            for (int s = 0; s < sessions.size(); s++)
            {
                sessions.get(s).onTick(now);
                contacts.onTick(sessions.get(s), now);
                contacts.dialPending(sessions.get(s), dial);
            }
            nextTickNs = now + TICK_NS;
            work++;
        }
        work += flushDirty(); // what the keys, commands, results and timers queued, and sockets writable again
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
            acceptor.accept(now);
            return;
        }
        final PeerConnection peer = (PeerConnection)key.attachment();
        try
        {
            if (key.isConnectable())
            {
                peer.finishConnect();
                return;
            }
            if (key.isWritable())
            {
                peer.flushSoon(); // in this cycle's one flush, so the write path is not inlined here too
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
                backpressured |= peer.readStarved();
                acceptor.completeHandoff();
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
            dirty.get(i).flush(now);
        }
        dirty.clear();
        return n;
    }

    @Override
    public void flushLater(final PeerConnection peer)
    {
        dirty.add(peer);
    }

    /** A rate limit's tokens have accrued: held-back connections read and send again (and are held again if not). */
    private void retryHeldBack()
    {
        for (int i = 0; i < heldBack.size(); i++)
        {
            heldBack.get(i).resumeReads();
        }
        dirty.addAll(heldBack);
        heldBack.clear();
    }

    @Override
    public void readWhenAllowed(final PeerConnection peer)
    {
        flushWhenAllowed(peer);
    }

    @Override
    public void flushWhenAllowed(final PeerConnection peer)
    {
        if (heldBack.isEmpty())
        {
            heldBackRetryNs = now + HELD_BACK_RETRY_NS;
        }
        heldBack.add(peer);
    }

    @Override
    public RateLimits limits()
    {
        return limits;
    }

    @Override
    public DhtLink dht()
    {
        return dht;
    }

    @Override
    public long claimBlockSlot()
    {
        final long sequence = pipeline.tryClaim();
        return sequence >= 0 ? sequence : pipeline.claim();
    }

    @Override
    public BlockEvent blockEvent(final long sequence)
    {
        return pipeline.event(sequence);
    }

    @Override
    public void publishBlock(final long sequence)
    {
        pipeline.publish(sequence);
    }

    @Override
    public boolean hasBlockRoom(final int blocks)
    {
        return pipeline.hasCapacity(blocks);
    }

    @Override
    public void post(final Runnable command)
    {
        offer(command);
    }

    @Override
    public String writeError(final int torrentId)
    {
        return pipeline.torrents().writeError(torrentId);
    }

    private void onPieceResult(final int torrentId, final int piece, final int result)
    {
        final TorrentSession session = sessionsById.get(torrentId);
        if (session != null)
        {
            session.onPieceResult(piece, result);
        }
    }

    // ---- torrents and peers (commands run on this thread) ------------------------------------------------------

    void addSession(final TorrentSession session)
    {
        sessions.add(session);
        sessionsById.put(session.torrentId(), session);
        contacts.add(session);
    }

    /** @return the torrents this agent runs (on its thread). */
    int sessionCount()
    {
        return sessions.size();
    }

    void removeSession(final TorrentSession session)
    {
        directory.remove(session.infoHashRef()); // no new connection is routed to a stopped torrent
        session.stop(CloseReason.SHUTDOWN);
        flushDirty();
        sessions.remove(session);
        sessionsById.remove(session.torrentId());
        contacts.remove(session);
    }

    /** Dials these peers for the session, as given by hand. */
    void addPeers(final TorrentSession session, final List<InetSocketAddress> addresses)
    {
        addPeers(session, addresses, PeerSource.MANUAL);
    }

    @Override
    public void addPeers(final TorrentSession session, final List<InetSocketAddress> addresses,
        final PeerSource source)
    {
        contacts.offer(session, addresses, source);
        contacts.dialPending(session, dial);
    }

    /** @return the session's connections as the API shows them (on this agent's thread). */
    List<PeerSnapshot> peerSnapshots(final TorrentSession session)
    {
        return session.peerSnapshots(address -> contacts.sourceOf(session, address));
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
            attach(peer, session);
            peer.key(channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, peer));
            session.add(peer);
            peer.sendHandshake(session.infoHashRef(), ourPeerId, session.dhtPort() > 0);
            if (connected)
            {
                peer.finishConnect();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            closeCounters.increment(CloseReason.CONNECT_FAILED);
            contacts.failed(session, address, now);
            CloseHelper.quietClose(channel);
        }
    }

    PeerConnection newConnection(final SocketChannel channel, final InetSocketAddress remote,
        final boolean outgoing)
    {
        return new PeerConnection(connectionIds.incrementAndGet(), channel, remote, outgoing, receiveBuffers,
            MAX_IN_FLIGHT, ExtensionHandshakes.MAX_UPLOAD_QUEUE, now);
    }

    /** Binds a connection to a torrent of this agent: the torrent handles its messages, this agent its output. */
    void attach(final PeerConnection peer, final TorrentSession session)
    {
        final Metainfo metainfo = session.metainfo();
        peer.attach(session, session.storage(),
            new MessageDecoder(metainfo.pieceCount(), metainfo.pieceLength(), metainfo.lastPieceLength()),
            metainfo.pieceCount(), this);
    }

    SelectionKey register(final SocketChannel channel, final int ops, final PeerConnection peer)
        throws java.nio.channels.ClosedChannelException
    {
        return channel.register(selector, ops, peer);
    }

    /** Takes over an accepted connection whose handshake named a torrent of this agent. */
    void adopt(final PeerConnection peer, final TorrentSession session)
    {
        try
        {
            attach(peer, session);
            peer.receiveBuffers(receiveBuffers);
            peer.key(peer.channel().register(selector, SelectionKey.OP_READ, peer));
            session.add(peer);
            peer.processBuffered();
        }
        catch (final IOException ex)
        {
            peer.close(CloseReason.IO_ERROR, ex.getMessage());
        }
    }

    @Override
    public void reached(final TorrentSession session, final PeerConnection peer)
    {
        if (peer.outgoing())
        {
            contacts.reached(session, peer.remote());
        }
    }

    @Override
    public void onPeerClosed(final TorrentSession session, final PeerConnection peer, final CloseReason reason)
    {
        closeCounters.increment(reason);
        if (peer.outgoing() && (reason == CloseReason.CONNECT_FAILED || reason == CloseReason.PEER_CLOSED ||
            reason == CloseReason.IO_ERROR || reason == CloseReason.TIMEOUT))
        {
            contacts.failed(session, peer.remote(), now);
        }
        contacts.dialPending(session, dial);
    }

    /** @return whether the agent has been closed (its thread stopped, or is stopping). */
    boolean stopped()
    {
        return closed;
    }

    @Override
    public void onClose()
    {
        closed = true;
        completions.close();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            removeSession(sessions.get(i));
        }
        acceptor.close();
        CloseHelper.quietClose(selector);
    }
}
