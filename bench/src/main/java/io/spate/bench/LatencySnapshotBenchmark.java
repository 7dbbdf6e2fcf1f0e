package io.spate.bench;

import io.spate.metrics.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a leecher's {@code complete} event cost the network agent's thread, measured cold (one call in a fresh JVM, as
 * at the end of a transfer: the histogram code has never run): the command line's complete handler takes a snapshot
 * of the request round-trip and the piece verify recorders and reads p50 and p99 of each.
 * <ul>
 *   <li>{@code snapshotsBefore}: the snapshot as it was (a new empty total, the interval added into it, a copy);</li>
 *   <li>{@code snapshotsNow}: {@link LatencyRecorder#snapshot()} as it is (the first interval becomes the total);</li>
 *   <li>{@code handOff}: what the agent's thread pays now that completion's dependents run on a control thread: one
 *       task handed to an idle cached pool (its first thread started).</li>
 * </ul>
 * The recorders hold what a 1 GiB leech records: 65,536 round trips (one per 16 KiB block) and 1,024 verify times.
 * Run: {@code java -jar bench/target/bench.jar LatencySnapshot -rf json -rff OUT.json}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 20, jvmArgsAppend = {"-Xms8m", "-XX:+UseSerialGC"})
public class LatencySnapshotBenchmark
{
    private static final long MAX_NS = 60_000_000_000L;

    private final LatencyRecorder rtt = new LatencyRecorder();
    private final LatencyRecorder verify = new LatencyRecorder();
    private final Recorder rttBefore = new Recorder(MAX_NS, 3);
    private final Recorder verifyBefore = new Recorder(MAX_NS, 3);
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void record()
    {
        final SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 65_536; i++)
        {
            final long ns = 200_000 + random.nextLong(40_000_000);
            rtt.record(ns);
            rttBefore.recordValue(ns);
        }
        for (int i = 0; i < 1_024; i++)
        {
            final long ns = 1_000_000 + random.nextLong(9_000_000);
            verify.record(ns);
            verifyBefore.recordValue(ns);
        }
        pool = Executors.newCachedThreadPool(runnable ->
        {
            final Thread thread = new Thread(runnable, "drain");
            thread.setDaemon(true);
            return thread;
        });
    }

    @TearDown(Level.Trial)
    public void close()
    {
        pool.shutdown();
    }

    @Benchmark
    public double snapshotsBefore()
    {
        return percentiles(snapshotBefore(rttBefore), snapshotBefore(verifyBefore));
    }

    @Benchmark
    public double snapshotsNow()
    {
        return percentiles(rtt.snapshot(), verify.snapshot());
    }

    @Benchmark
    public CompletableFuture<Void> handOff()
    {
        final CompletableFuture<Void> completion = new CompletableFuture<>();
        pool.execute(() -> completion.complete(null));
        return completion;
    }

    /** The four figures the complete event prints. */
    private static double percentiles(final Histogram rtt, final Histogram verify)
    {
        return rtt.getValueAtPercentile(50) + rtt.getValueAtPercentile(99) + verify.getValueAtPercentile(50) +
            verify.getValueAtPercentile(99);
    }

    /** LatencyRecorder.snapshot() before this change, on its first call. */
    private static Histogram snapshotBefore(final Recorder recorder)
    {
        final Histogram total = new Histogram(MAX_NS, 3);
        total.add(recorder.getIntervalHistogram(null));
        return total.copy();
    }
}
