package io.spate.bench;

import io.spate.metainfo.InfoHash;
import io.spate.metainfo.TorrentBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast {@code create} hashes, against the machine's SHA-1 speed, side by side in one run. Every score is in
 * MiB/s (one operation = one MiB hashed):
 * <ul>
 *   <li>{@code sha1OneCore}: MessageDigest SHA-1 over a 1 MiB piece in memory on one thread (one core's speed);</li>
 *   <li>{@code sha1AllCores}: the same on one thread per core at once (JMH sums the threads: the machine's speed);</li>
 *   <li>{@code builder}: TorrentBuilder hashing a 256 MiB file in /tmp (page cache warm after the first pass), with
 *   1 thread and with one per core ({@code threads} = 0 means availableProcessors), piece length chosen as
 *   {@code create} does (256 KiB).</li>
 * </ul>
 * Run: {@code java -jar bench/target/bench.jar PieceHashBenchmark -f1 -wi2 -i3 -rf json -rff raw.json}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class PieceHashBenchmark
{
    static final int PIECE = 1 << 20;
    static final int FILE_MIB = 256;

    /** One thread's in-memory piece and digest. */
    @State(Scope.Thread)
    public static class Piece
    {
        final byte[] data = new byte[PIECE];
        final byte[] digest = new byte[InfoHash.LENGTH];
        MessageDigest sha1;

        @Setup
        public void setup()
        {
            new SplittableRandom(1).nextBytes(data);
            sha1 = InfoHash.newSha1();
        }
    }

    /** A 256 MiB file of random bytes in /tmp, made once per run and deleted after. */
    @State(Scope.Benchmark)
    public static class DataFile
    {
        @Param({"1", "0"})
        int threads;

        Path file;

        @Setup(Level.Trial)
        public void setup() throws IOException
        {
            file = Files.createTempFile(Path.of("/tmp"), "spate-hash-bench", ".bin");
            final byte[] chunk = new byte[PIECE];
            final SplittableRandom random = new SplittableRandom(2);
            try (OutputStream out = Files.newOutputStream(file))
            {
                for (int i = 0; i < FILE_MIB; i++)
                {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            Files.deleteIfExists(file);
        }

        int threadCount()
        {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    @Benchmark
    @Threads(1)
    public byte[] sha1OneCore(final Piece p) throws Exception
    {
        p.sha1.update(p.data, 0, PIECE);
        p.sha1.digest(p.digest, 0, InfoHash.LENGTH);
        return p.digest;
    }

    @Benchmark
    @Threads(Threads.MAX)
    public byte[] sha1AllCores(final Piece p) throws Exception
    {
        p.sha1.update(p.data, 0, PIECE);
        p.sha1.digest(p.digest, 0, InfoHash.LENGTH);
        return p.digest;
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(FILE_MIB)
    public byte[] builder(final DataFile f) throws IOException
    {
        return TorrentBuilder.of(f.file).threads(f.threadCount()).build();
    }
}
