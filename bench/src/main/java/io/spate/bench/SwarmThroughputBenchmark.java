package io.spate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * Swarm throughput: one Spate seed and {@code leechers} fresh Spate leechers in one JVM on loopback
 * ({@link InProcessPair}, 1 MiB pieces, peers connected directly, no tracker). One invocation is one whole transfer:
 * leecher engines launched on empty directories, every leecher complete (all pieces SHA-1 verified), engines closed.
 * <p>
 * The primary score is transfers per second; the auxiliary counter {@code megabytes} is the payload delivered
 * (size x leechers, in 10^6 bytes) per second over the iteration, i.e. the swarm's aggregate MB/s. An iteration runs
 * whole transfers for at least its time (JMH finishes the transfer under way), so big transfers make few samples.
 * <p>
 * Run: {@code java -jar bench/target/bench.jar SwarmThroughput -p size=64 -p leechers=1} (the data lives under
 * {@code -Dspate.bench.dir}, default /tmp/spate-jmh-swarm; it is made once per size and kept).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
public class SwarmThroughputBenchmark
{
    private static final int PIECE_LENGTH = 1 << 20;
    private static final long TIMEOUT_SECONDS = 600;

    /** Torrent size in MiB. */
    @Param({"64", "256"})
    public int size;

    /** Leechers downloading at once from the one seed (and from each other). */
    @Param({"1", "3"})
    public int leechers;

    private InProcessPair pair;

    /** Payload delivered to leechers, reported per second by JMH: aggregate MB/s (10^6 bytes). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered
    {
        public double megabytes;

        @Setup(Level.Iteration)
        public void clear()
        {
            megabytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final Path work = Path.of(System.getProperty("spate.bench.dir", "/tmp/spate-jmh-swarm"), "size-" + size);
        Files.createDirectories(work);
        pair = new InProcessPair(work, (long)size << 20, PIECE_LENGTH);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        pair.close();
    }

    @Benchmark
    public double transfer(final Delivered delivered) throws Exception
    {
        final double seconds = pair.transfer(leechers, TIMEOUT_SECONDS);
        delivered.megabytes += ((long)size << 20) * leechers / 1e6;
        return seconds;
    }
}
