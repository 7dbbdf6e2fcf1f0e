package io.spate.bench.seedbox;

import io.spate.metainfo.TorrentBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seedbox measurement's data (tools/service/seedbox.py): COUNT single-file torrents of random content, each file
 * MIN..MAX KiB (a size drawn per file), in one JVM with the engine's own {@link TorrentBuilder} (the CLI's
 * {@code create} costs a JVM start per torrent). Files go to DATA/file-NNNNN.bin, .torrents to
 * TORRENTS/NNNNN.torrent; the sizes and contents follow from SEED, so a run can be remade. Prints one JSON line.
 * <pre>
 *   java -cp bench/target/bench.jar io.spate.bench.seedbox.SeedboxTorrents DATA TORRENTS COUNT MIN_KIB MAX_KIB \
 *       PIECE_BYTES SEED
 * </pre>
 */
public final class SeedboxTorrents
{
    /** The data a run may write, whatever its arguments: the machine's /tmp is shared. */
    private static final long MAX_TOTAL_BYTES = 8L << 30;

    private SeedboxTorrents()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 7)
        {
            System.err.println("usage: SeedboxTorrents DATA TORRENTS COUNT MIN_KIB MAX_KIB PIECE_BYTES SEED");
            System.exit(2);
        }
        final Path data = Path.of(args[0]);
        final Path torrents = Path.of(args[1]);
        final int count = Integer.parseInt(args[2]);
        final int minKib = Integer.parseInt(args[3]);
        final int maxKib = Integer.parseInt(args[4]);
        final int pieceBytes = Integer.parseInt(args[5]);
        final long seed = Long.parseLong(args[6]);
        if (count < 1 || minKib < 1 || maxKib < minKib || (long)count * maxKib * 1024 > MAX_TOTAL_BYTES)
        {
            System.err.println("COUNT >= 1, 1 <= MIN_KIB <= MAX_KIB, COUNT * MAX_KIB <= " + (MAX_TOTAL_BYTES >> 10) +
                " KiB");
            System.exit(2);
        }
        Files.createDirectories(data);
        Files.createDirectories(torrents);
        final long started = System.nanoTime();
        final AtomicLong bytes = new AtomicLong();
        final int threads = Runtime.getRuntime().availableProcessors();
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final Future<?>[] jobs = new Future<?>[count];
            for (int i = 0; i < count; i++)
            {
                final int index = i;
                jobs[i] = pool.submit(() ->
                {
                    bytes.addAndGet(make(data, torrents, index, minKib, maxKib, pieceBytes, seed));
                    return null;
                });
            }
            for (final Future<?> job : jobs)
            {
                job.get();
            }
        }
        finally
        {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        System.out.printf("{\"event\":\"generated\",\"torrents\":%d,\"bytes\":%d,\"seconds\":%.3f}%n", count,
            bytes.get(), (System.nanoTime() - started) / 1e9);
    }

    /** Writes one file and its .torrent; returns the file's size. */
    private static long make(final Path data, final Path torrents, final int index, final int minKib,
        final int maxKib, final int pieceBytes, final long seed) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        final int size = (minKib + random.nextInt(maxKib - minKib + 1)) * 1024;
        final byte[] content = new byte[size];
        for (int i = 0; i < size; i += 8)
        {
            final long word = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++)
            {
                content[i + b] = (byte)(word >>> (b * 8));
            }
        }
        final String name = String.format("%05d", index);
        final Path file = data.resolve("file-" + name + ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }
        final byte[] torrent = TorrentBuilder.of(file).pieceLength(pieceBytes).threads(1).build();
        Files.write(torrents.resolve(name + ".torrent"), torrent);
        return size;
    }
}
