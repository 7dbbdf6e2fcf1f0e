package io.spate.bench;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.picker.PiecePicker;
import io.spate.storage.TorrentStorage;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The storage data path per 16 KiB block: {@code write} (a disk handler's positional write) and {@code send} (an
 * agent's {@code transferTo}, here to /dev/null), for a block inside one file and for one crossing into the next
 * file. Its point is the allocation, not the time: run with {@code -prof gc}, and {@code gc.alloc.rate.norm} must
 * stay at ~0 B/op (the extent walk passes its state as arguments, so nothing is captured or allocated per block).
 * Run: {@code java -jar bench/target/bench.jar StorageBlockBenchmark -f1 -wi2 -i3 -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class StorageBlockBenchmark
{
    static final int PIECE = 256 * 1024;
    static final int BLOCK = PiecePicker.BLOCK_LENGTH;
    /** The first file ends 8 KiB into piece 3's first block, so that block crosses into the second file. */
    static final long FIRST_FILE = 3L * PIECE + BLOCK / 2;
    static final long SECOND_FILE = 8L * PIECE - BLOCK / 2; // the torrent is whole pieces

    @Param({"inside", "across"})
    String block;

    Path dir;
    TorrentStorage storage;
    FileChannel devNull;
    UnsafeBuffer data;
    int piece;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        dir = Files.createTempDirectory(Path.of("/tmp"), "spate-storage-bench");
        final Path content = Files.createDirectory(dir.resolve("content"));
        try (RandomAccessFile a = new RandomAccessFile(content.resolve("a.bin").toFile(), "rw");
            RandomAccessFile b = new RandomAccessFile(content.resolve("b.bin").toFile(), "rw"))
        {
            a.setLength(FIRST_FILE);
            b.setLength(SECOND_FILE);
        }
        final Metainfo metainfo = Metainfo.parse(TorrentBuilder.of(content).pieceLength(PIECE).build());
        final int pieces = metainfo.pieceCount();
        storage = TorrentStorage.open(metainfo, dir, true);
        devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
        data = new UnsafeBuffer(ByteBuffer.allocateDirect(BLOCK));
        piece = "across".equals(block) ? 3 : 1;
        for (int p = 0; p < pieces; p++)
        {
            storage.write(p, 0, data, BLOCK); // so that send reads written pages
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        devNull.close();
        storage.close();
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void write()
    {
        storage.write(piece, 0, data, BLOCK);
    }

    @Benchmark
    public long send() throws IOException
    {
        return storage.send(piece, 0, BLOCK, devNull);
    }
}
