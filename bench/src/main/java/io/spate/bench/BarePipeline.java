package io.spate.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The bare machine pipeline: what this machine can move through the steps a leecher takes, with no protocol and no
 * engine. One process, one loopback TCP connection:
 * <ol>
 *   <li>a sender thread sends a file with {@code FileChannel.transferTo} (sendfile) into the socket;</li>
 *   <li>the receiver (main thread) reads the socket {@code --read-kib} KiB at a time (16 by default, a BitTorrent
 *       block) into buffers of a ring, writes each buffer to the output file with a positional write, and hands it
 *       to the hasher;</li>
 *   <li>a hasher thread SHA-1s the bytes piece by piece ({@code --piece-kib}, 1024 by default) from the same buffers
 *       and returns them to the receiver.</li>
 * </ol>
 * The hand-off is a single-producer single-consumer ring of {@code --buffers} buffers (64) with two sequence counters;
 * a side with nothing to do spins briefly, yields, then parks for 20 us (nothing sleeps in a lock).
 * <p>
 * Output: one JSON line per round: bytes, seconds (first sendfile to the last piece hashed and written), MB/s
 * (10^6 bytes/s), the process's CPU seconds over that interval and each thread's, and the digest of the piece
 * digests. {@code --verify} hashes the source file's pieces afterwards (untimed) and says whether they match.
 * <pre>
 * java -cp bench/target/bench.jar io.spate.bench.BarePipeline --file /tmp/spate-data/random-1024MiB.bin
 *      [--read-kib 16] [--piece-kib 1024] [--buffers 64] [--heap] [--rounds 1] [--out DIR] [--verify]
 * </pre>
 * Without {@code --file} it makes (once) {@code --size-mib} MiB of random data under {@code --out}.
 * This is the reference issues 16 and 17 compare against; {@code PipelineProbe} measures Spate's own ring instead.
 */
public final class BarePipeline
{
    private static final long TIMEOUT_NS = 120_000_000_000L;

    private final Path source;
    private final Path target;
    private final int readSize;
    private final int pieceLength;
    private final int bufferCount;
    private final boolean heap;

    private BarePipeline(final Path source, final Path target, final int readSize, final int pieceLength,
        final int bufferCount, final boolean heap)
    {
        this.source = source;
        this.target = target;
        this.readSize = readSize;
        this.pieceLength = pieceLength;
        this.bufferCount = bufferCount;
        this.heap = heap;
    }

    /** SPSC ring of filled buffers: the receiver publishes, the hasher consumes and frees. */
    private static final class Ring
    {
        final ByteBuffer[] buffers;
        final int[] lengths;
        final int mask;
        final AtomicLong published = new AtomicLong(); // buffers filled and written (receiver)
        final AtomicLong consumed = new AtomicLong();  // buffers hashed and free again (hasher)
        volatile boolean done;                         // the receiver saw end of stream

        Ring(final int count, final int size, final boolean heap)
        {
            if (Integer.bitCount(count) != 1)
            {
                throw new IllegalArgumentException("--buffers must be a power of two: " + count);
            }
            buffers = new ByteBuffer[count];
            lengths = new int[count];
            mask = count - 1;
            for (int i = 0; i < count; i++)
            {
                buffers[i] = heap ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
            }
        }
    }

    /** Spins, then yields, then parks 20 us; the caller counts its idle rounds. */
    private static void idle(final int round)
    {
        if (round < 64)
        {
            Thread.onSpinWait();
        }
        else if (round < 128)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(20_000);
        }
    }

    private static void checkDeadline(final long deadline)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new IllegalStateException("timed out after " + TIMEOUT_NS / 1_000_000_000L + " s");
        }
    }

    String round() throws Exception
    {
        Files.deleteIfExists(target);
        final long bytes = Files.size(source);
        final Ring ring = new Ring(bufferCount, readSize, heap);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long[] threadCpu = new long[3]; // sender, receiver, hasher (ns)
        final byte[][] result = new byte[1][];
        final long deadline = System.nanoTime() + TIMEOUT_NS;

        try (ServerSocketChannel server = ServerSocketChannel.open();
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final Thread sender = new Thread(() ->
            {
                try (SocketChannel socket = SocketChannel.open(server.getLocalAddress());
                     FileChannel in = FileChannel.open(source, StandardOpenOption.READ))
                {
                    long position = 0;
                    while (position < bytes)
                    {
                        checkDeadline(deadline);
                        position += in.transferTo(position, bytes - position, socket);
                    }
                    socket.shutdownOutput();
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
                threadCpu[0] = threads.getCurrentThreadCpuTime();
            }, "bare-sender");
            final Thread hasher = new Thread(() ->
            {
                try
                {
                    result[0] = hash(ring, deadline, failure);
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
                threadCpu[2] = threads.getCurrentThreadCpuTime();
            }, "bare-hasher");

            final long cpu0 = os.getProcessCpuTime();
            final long receiverCpu0 = threads.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            sender.start();
            hasher.start();
            long received = 0;
            try (SocketChannel socket = server.accept())
            {
                long seq = 0;
                boolean eof = false;
                while (!eof)
                {
                    int idleRounds = 0;
                    while (seq - ring.consumed.get() == ring.buffers.length) // ring full: wait for the hasher
                    {
                        checkDeadline(deadline);
                        if (failure.get() != null)
                        {
                            throw new IllegalStateException("hasher failed", failure.get());
                        }
                        idle(idleRounds++);
                    }
                    final int slot = (int)seq & ring.mask;
                    final ByteBuffer buffer = ring.buffers[slot].clear();
                    while (buffer.hasRemaining()) // a whole block, as a peer's block arrives in one message
                    {
                        if (socket.read(buffer) < 0)
                        {
                            eof = true;
                            break;
                        }
                    }
                    final int length = buffer.position();
                    if (length > 0)
                    {
                        buffer.flip();
                        long at = received;
                        while (buffer.hasRemaining())
                        {
                            at += out.write(buffer, at);
                        }
                        buffer.rewind();
                        ring.lengths[slot] = length;
                        received += length;
                        ring.published.lazySet(++seq);
                    }
                }
            }
            ring.done = true;
            hasher.join(TIMEOUT_NS / 1_000_000);
            sender.join(TIMEOUT_NS / 1_000_000);
            final long end = System.nanoTime();
            final long cpu1 = os.getProcessCpuTime();
            threadCpu[1] = threads.getCurrentThreadCpuTime() - receiverCpu0;
            if (failure.get() != null)
            {
                throw new IllegalStateException("pipeline failed", failure.get());
            }
            if (received != bytes || hasher.isAlive() || sender.isAlive())
            {
                throw new IllegalStateException("received " + received + " of " + bytes + " bytes");
            }
            final double seconds = (end - start) / 1e9;
            return String.format(java.util.Locale.ROOT,
                "{\"tool\":\"bare-pipeline\",\"bytes\":%d,\"seconds\":%.3f,\"mb_per_s\":%.1f,\"cpu_seconds\":%.3f," +
                "\"sender_cpu_s\":%.3f,\"receiver_cpu_s\":%.3f,\"hasher_cpu_s\":%.3f,\"read_kib\":%d," +
                "\"piece_kib\":%d,\"buffers\":%d,\"buffer\":\"%s\",\"jvm_uptime_seconds\":%.3f,\"digest\":\"%s\"",
                bytes, seconds, bytes / 1e6 / seconds, (cpu1 - cpu0) / 1e9, threadCpu[0] / 1e9, threadCpu[1] / 1e9,
                threadCpu[2] / 1e9, readSize >> 10, pieceLength >> 10, bufferCount, heap ? "heap" : "direct",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, HexFormat.of().formatHex(result[0]));
        }
    }

    /** The hasher: SHA-1 of each piece from the ring's buffers; returns the SHA-1 of the piece digests in order. */
    private byte[] hash(final Ring ring, final long deadline, final AtomicReference<Throwable> failure)
        throws Exception
    {
        final MessageDigest piece = MessageDigest.getInstance("SHA-1");
        final MessageDigest all = MessageDigest.getInstance("SHA-1");
        long seq = 0;
        long inPiece = 0;
        while (true)
        {
            int idleRounds = 0;
            long available;
            while ((available = ring.published.get()) == seq)
            {
                if (ring.done && ring.published.get() == seq)
                {
                    if (inPiece > 0)
                    {
                        all.update(piece.digest());
                    }
                    return all.digest();
                }
                if (failure.get() != null)
                {
                    throw new IllegalStateException("stopped: another thread failed");
                }
                checkDeadline(deadline);
                idle(idleRounds++);
            }
            for (; seq < available; seq++) // batch: everything published so far
            {
                final int slot = (int)seq & ring.mask;
                final ByteBuffer buffer = ring.buffers[slot];
                int left = ring.lengths[slot];
                int at = 0;
                while (left > 0) // a buffer may span a piece boundary when the read size does not divide it
                {
                    final int take = (int)Math.min(left, pieceLength - inPiece);
                    buffer.limit(at + take).position(at);
                    piece.update(buffer);
                    at += take;
                    left -= take;
                    inPiece += take;
                    if (inPiece == pieceLength)
                    {
                        all.update(piece.digest());
                        inPiece = 0;
                    }
                }
                ring.consumed.lazySet(seq + 1);
            }
        }
    }

    /** The same digest of piece digests, computed from the source file (untimed check). */
    private byte[] expected() throws Exception
    {
        final MessageDigest piece = MessageDigest.getInstance("SHA-1");
        final MessageDigest all = MessageDigest.getInstance("SHA-1");
        final ByteBuffer buffer = ByteBuffer.allocateDirect(pieceLength);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ))
        {
            while (true)
            {
                buffer.clear();
                while (buffer.hasRemaining() && in.read(buffer) >= 0)
                {
                    // fill a whole piece
                }
                if (buffer.position() == 0)
                {
                    return all.digest();
                }
                buffer.flip();
                piece.update(buffer);
                all.update(piece.digest());
                if (buffer.capacity() != buffer.limit())
                {
                    return all.digest();
                }
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        Path file = null;
        Path outDir = Path.of("/tmp/spate-bench-work/bare");
        long sizeMib = 1024;
        int readKib = 16;
        int pieceKib = 1024;
        int buffers = 64;
        int rounds = 1;
        boolean heap = false;
        boolean verify = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--file" -> file = Path.of(args[++i]);
                case "--out" -> outDir = Path.of(args[++i]);
                case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
                case "--read-kib" -> readKib = Integer.parseInt(args[++i]);
                case "--piece-kib" -> pieceKib = Integer.parseInt(args[++i]);
                case "--buffers" -> buffers = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--heap" -> heap = true;
                case "--verify" -> verify = true;
                default ->
                {
                    System.err.println("usage: BarePipeline [--file F | --size-mib M] [--read-kib 16] " +
                        "[--piece-kib 1024] [--buffers 64] [--heap] [--rounds 1] [--out DIR] [--verify]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(outDir);
        if (file == null)
        {
            file = outDir.resolve("source-" + sizeMib + "MiB.bin");
            if (!Files.exists(file) || Files.size(file) != sizeMib << 20)
            {
                writeRandom(file, sizeMib << 20);
            }
        }
        final BarePipeline pipeline = new BarePipeline(file, outDir.resolve("received.bin"), readKib << 10,
            pieceKib << 10, buffers, heap);
        final byte[] expected = verify ? pipeline.expected() : null;
        for (int r = 1; r <= rounds; r++)
        {
            String line = pipeline.round();
            if (expected != null)
            {
                line += ",\"verified\":" + line.contains(HexFormat.of().formatHex(expected));
            }
            line += ",\"round\":" + r + "}";
            System.out.println(line);
        }
        Files.deleteIfExists(pipeline.target);
    }

    private static void writeRandom(final Path file, final long bytes) throws IOException
    {
        final Random random = new Random(42);
        final byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(file))
        {
            for (long left = bytes; left > 0; left -= chunk.length)
            {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int)Math.min(left, chunk.length));
            }
        }
    }
}
