package io.spate.bench;

import io.spate.metainfo.InfoHash;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * How a disk handler should feed SHA-1 a 16 KiB block that lies in direct memory (a connection's read buffer), one
 * operation = one MiB hashed (64 blocks, walking a 16 MiB region, so blocks come from memory as they do after the
 * socket read, not from L1), in MiB/s:
 * <ul>
 *   <li>{@code copyToArrayThenUpdate}: {@code UnsafeBuffer.getBytes} into a 16 KiB heap array, then
 *   {@code update(byte[])} (the disk handler before and after the receive-path change);</li>
 *   <li>{@code updateDirectByteBuffer}: {@code update(ByteBuffer)} on the direct memory (JDK 17 copies it into a
 *   4 KiB temporary array inside {@code MessageDigestSpi} and hashes that);</li>
 *   <li>{@code updateHeapArray}: {@code update(byte[])} on a heap array that already holds the block (a heap-backed
 *   slot: no copy to hash, but then the socket read and the pwrite each copy through a JDK temporary direct buffer);
 *   the bound for SHA-1 itself.</li>
 * </ul>
 * Run: {@code java -jar bench/target/bench.jar BlockHashBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED") // Agrona 2 reaches Unsafe through it
@State(Scope.Thread)
public class BlockHashBenchmark
{
    static final int BLOCK = 16 * 1024;
    static final int REGION = 16 << 20;
    static final int BLOCKS_PER_OP = (1 << 20) / BLOCK;

    private final MessageDigest sha1 = InfoHash.newSha1();
    private final byte[] chunk = new byte[BLOCK];
    private final byte[] heapRegion = new byte[REGION];
    private ByteBuffer region;
    private ByteBuffer view;
    private UnsafeBuffer unsafe;
    private int next;

    @Setup
    public void setup()
    {
        new SplittableRandom(3).nextBytes(heapRegion);
        region = BufferUtil.allocateDirectAligned(REGION, 64);
        region.put(heapRegion).clear();
        view = region.duplicate();
        unsafe = new UnsafeBuffer(region);
    }

    /** Blocks start 13 bytes past 16 KiB boundaries in turn, as a block after a PIECE header does in a read buffer. */
    private int nextOffset()
    {
        final int offset = next;
        next = next + BLOCK + 13 > REGION - BLOCK ? 13 : next + BLOCK + 13;
        return offset;
    }

    @Benchmark
    public MessageDigest copyToArrayThenUpdate()
    {
        for (int i = 0; i < BLOCKS_PER_OP; i++)
        {
            unsafe.getBytes(nextOffset(), chunk, 0, BLOCK);
            sha1.update(chunk, 0, BLOCK);
        }
        return sha1;
    }

    @Benchmark
    public MessageDigest updateDirectByteBuffer()
    {
        for (int i = 0; i < BLOCKS_PER_OP; i++)
        {
            final int offset = nextOffset();
            view.limit(offset + BLOCK).position(offset);
            sha1.update(view);
        }
        return sha1;
    }

    @Benchmark
    public MessageDigest updateHeapArray()
    {
        for (int i = 0; i < BLOCKS_PER_OP; i++)
        {
            sha1.update(heapRegion, nextOffset(), BLOCK);
        }
        return sha1;
    }
}
