package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.metrics.CloseCounters;
import io.spate.ratelimit.RateLimits;
import io.spate.storage.PieceChecker;
import io.spate.storage.TorrentStorage;
import io.spate.testing.TestData;
import io.spate.verify.TorrentRegistry;
import io.spate.verify.VerifyPipeline;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One network agent driven by the test thread, as Aeron's {@code SenderTest} drives its agents: the test calls
 * {@link #pump()} (one {@code doWork()}) and moves a fake clock, so every timer (ticks, rechokes, snubbing, keep-alives,
 * timeouts) fires exactly when the test says. Peers are {@link ScriptedPeer}s on loopback sockets; the verify
 * pipeline is real (one disk handler), so blocks are written and pieces hashed as in the engine.
 */
final class AgentHarness implements AutoCloseable
{
    static final byte[] OUR_PEER_ID = "-SP0001-harness00000".getBytes(StandardCharsets.US_ASCII);
    static final long SECOND_NS = 1_000_000_000L;

    final CachedNanoClock clock = new CachedNanoClock();
    final CloseCounters closeCounters = new CloseCounters();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final VerifyPipeline pipeline;
    final RateLimits limits = RateLimits.of(0, 0);
    final io.spate.dht.DhtLink dht = new io.spate.dht.DhtLink();
    final NetworkAgent agent;
    private final AgentDirectory directory = new AgentDirectory();
    private final ServerSocketChannel listener;
    private final List<TorrentStorage> storages = new ArrayList<>();

    AgentHarness() throws IOException
    {
        clock.update(1_000 * SECOND_NS);
        pipeline = new VerifyPipeline(64, 1, new TorrentRegistry(4, 1));
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        agent = new NetworkAgent(0, clock, pipeline, OUR_PEER_ID, listenAddress().getPort(), new AtomicLong(),
            closeCounters, directory, limits, dht, errors::add);
        agent.neverBlock();
        agent.listen(listener);
    }

    /** Writes {@code pieces} pieces of seeded random data to {@code file} and makes its torrent. */
    static Metainfo torrent(final Path file, final int pieces, final int pieceLength, final long seed) throws Exception
    {
        TestData.file(file, (long)pieces * pieceLength, seed);
        return Metainfo.parse(TorrentBuilder.of(file).pieceLength(pieceLength).build());
    }

    InetSocketAddress listenAddress() throws IOException
    {
        return (InetSocketAddress)listener.getLocalAddress();
    }

    /** Adds a torrent whose data is (seed) or will be (leech) under {@code dir}, checked as the engine does. */
    TorrentSession add(final Metainfo metainfo, final Path dir, final TorrentStats stats) throws Exception
    {
        return add(metainfo, dir, stats, SessionOptions.DEFAULTS);
    }

    TorrentSession add(final Metainfo metainfo, final Path dir, final TorrentStats stats,
        final SessionOptions options) throws Exception
    {
        return add(metainfo, dir, stats, options, null);
    }

    /** As {@link #add(Metainfo, Path, TorrentStats, SessionOptions)}, with the files' priorities (null: all). */
    TorrentSession add(final Metainfo metainfo, final Path dir, final TorrentStats stats,
        final SessionOptions options, final io.spate.metainfo.FilePriorities priorities) throws Exception
    {
        final TorrentStorage storage = TorrentStorage.open(metainfo, dir, true, priorities);
        storages.add(storage);
        final BitSet verified = PieceChecker.check(storage, 1, new AtomicLong());
        storage.releaseMappings();
        final int torrentId = pipeline.torrents().addTorrent(storage);
        final TorrentSession session = new TorrentSession(agent, torrentId, storage, verified, OUR_PEER_ID, stats,
            TorrentListener.NONE, agent.extensionHandshakes(), options, 42, priorities);
        agent.addSession(session);
        directory.put(metainfo.infoHash(), new AgentDirectory.Entry(agent, session));
        return session;
    }

    /** One duty cycle at the fake clock's time. */
    int pump()
    {
        try
        {
            return agent.doWork();
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** Moves the clock in one-second steps (each a tick of the agent), pumping at each. */
    void advanceSeconds(final int seconds)
    {
        for (int i = 0; i < seconds; i++)
        {
            clock.advance(SECOND_NS);
            pump();
            pump();
        }
    }

    /** Pumps until {@code condition} holds; fails after 5 s of real time (loopback bytes take microseconds). */
    void pumpUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + 5 * SECOND_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting for " + what);
            }
            if (pump() == 0)
            {
                Thread.onSpinWait();
            }
        }
        assertTrue(errors.isEmpty(), () -> "agent errors: " + errors);
    }

    @Override
    public void close()
    {
        agent.onClose();
        pipeline.close();
        storages.forEach(TorrentStorage::close);
        CloseHelper.quietClose(listener);
    }
}
