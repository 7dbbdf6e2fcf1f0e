package io.spate.bench;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Swarm throughput: bytes per second a warm swarm moves, from the first dial to the last leecher's completion.
 * One Spate seed and {@code leechers} Spate leechers in one JVM on loopback, 1 MiB pieces, no tracker: each leecher
 * dials the seed and every leecher started before it (as {@link InProcessPair} does).
 * <p>
 * What is timed, and what is not:
 * <ul>
 *   <li>trial setup (untimed): the data, the torrent, and every engine launched (the seed with its torrent, and one
 *       engine per leecher, each with one network agent on its own thread);</li>
 *   <li>invocation setup (untimed): each leecher engine adds the torrent on a fresh, empty directory (files created,
 *       the resume check run) and is checked to hold no peer and no byte yet;</li>
 *   <li>the benchmark method (timed): the peers are handed to the leechers (the first dial, one handshake before the
 *       first request), then it waits until every leecher has verified every piece;</li>
 *   <li>invocation teardown (untimed): each leecher's torrent removed (connections closed, files flushed).</li>
 * </ul>
 * Throughput mode with invocation-level fixtures: JMH times only the benchmark method (its generated stub sums
 * {@code System.nanoTime()} around each call into {@code realTime}, which {@code RawResults.getTime()} prefers), and
 * iterations of 1 ms make each iteration exactly one transfer. The score that the name promises is the auxiliary
 * counter {@code bytes}: payload delivered to all leechers (size x leechers) per second of that timed part; the
 * primary score is transfers per second. Only the engine's public API is used (Engine, Context, TorrentHandle).
 * <p>
 * Run: {@code java -jar bench/target/bench.jar SwarmThroughput -p size=256 -p leechers=1,4,8} (tools/bench-swarm-jmh.sh
 * records it). The data lives under {@code -Dspate.bench.dir} (default /tmp/spate-jmh-swarm), made once per size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.MILLISECONDS) // one transfer an iteration
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
public class SwarmThroughputBenchmark
{
    private static final int PIECE_LENGTH = 1 << 20;
    private static final long TIMEOUT_SECONDS = 600;

    /** Torrent size in MiB. */
    @Param({"256"})
    public int size;

    /** Leechers downloading at once from the one seed (and from each other). */
    @Param({"1", "4", "8"})
    public int leechers;

    private Path work;
    private Metainfo metainfo;
    private Engine seed;
    private Engine[] engines;
    private TorrentHandle[] handles;
    private List<InetSocketAddress>[] peers;

    /** Payload delivered in the iteration's one timed transfer; JMH divides it by that transfer's time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate
    {
        public long bytes;

        @Setup(Level.Iteration)
        public void clear()
        {
            bytes = 0;
        }
    }

    static Context context()
    {
        return new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0).threads(1)
            .threadingMode(ThreadingMode.DEDICATED);
    }

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void launch() throws Exception
    {
        work = Path.of(System.getProperty("spate.bench.dir", "/tmp/spate-jmh-swarm"), "size-" + size);
        final Path seedDir = work.resolve("seed");
        Files.createDirectories(seedDir);
        final Path data = seedDir.resolve("data.bin");
        final long bytes = (long)size << 20;
        if (!Files.exists(data) || Files.size(data) != bytes)
        {
            InProcessPair.writeRandom(data, bytes);
        }
        metainfo = Metainfo.parse(TorrentBuilder.of(data).pieceLength(PIECE_LENGTH).build());
        seed = Engine.launch(context());
        seed.addTorrent(metainfo, seedDir, true, TorrentListener.NONE, null).completion()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        engines = new Engine[leechers];
        handles = new TorrentHandle[leechers];
        peers = new List[leechers];
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < leechers; i++)
        {
            engines[i] = Engine.launch(context());
            final InetSocketAddress[] dial = new InetSocketAddress[i + 1];
            dial[0] = new InetSocketAddress(loopback, seed.listenAddress().getPort());
            for (int j = 0; j < i; j++)
            {
                dial[j + 1] = new InetSocketAddress(loopback, engines[j].listenAddress().getPort());
            }
            peers[i] = List.of(dial);
        }
    }

    @Setup(Level.Invocation)
    public void addTorrents() throws Exception
    {
        for (int i = 0; i < leechers; i++)
        {
            final Path dir = work.resolve("leech" + i);
            InProcessPair.deleteTree(dir);
            handles[i] = engines[i].addTorrent(metainfo, dir, false, TorrentListener.NONE, null);
        }
        for (final TorrentHandle handle : handles)
        {
            if (handle.stats().downloadedBytes.get() != 0 || handle.stats().peersConnected.get() != 0)
            {
                throw new IllegalStateException("a leecher had a peer or bytes before the timed transfer");
            }
        }
    }

    @Benchmark
    public void transfer(final Rate rate) throws Exception
    {
        for (int i = 0; i < leechers; i++)
        {
            handles[i].addPeers(peers[i]);
        }
        for (final TorrentHandle handle : handles)
        {
            handle.completion().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        rate.bytes += metainfo.totalLength() * leechers;
    }

    @TearDown(Level.Invocation)
    public void removeTorrents() throws Exception
    {
        for (int i = 0; i < leechers; i++)
        {
            if (handles[i] != null)
            {
                handles[i].remove().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                handles[i] = null;
            }
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        for (final Engine engine : engines)
        {
            engine.close();
        }
        seed.close();
    }
}
