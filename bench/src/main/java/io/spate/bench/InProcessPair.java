package io.spate.bench;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Spate seed and N Spate leechers in one JVM on loopback, connected directly (no tracker): the unit of the swarm
 * throughput benchmark. Data is made once per fixture; each transfer starts from empty leecher directories.
 */
public final class InProcessPair implements AutoCloseable
{
    private final Path work;
    private final Metainfo metainfo;
    private final Engine seedEngine;

    public InProcessPair(final Path work, final long bytes, final int pieceLength) throws Exception
    {
        this.work = work;
        final Path seedDir = work.resolve("seed");
        Files.createDirectories(seedDir);
        final Path data = seedDir.resolve("data.bin");
        if (!Files.exists(data) || Files.size(data) != bytes)
        {
            writeRandom(data, bytes);
        }
        this.metainfo = Metainfo.parse(TorrentBuilder.of(data).pieceLength(pieceLength).build());
        this.seedEngine = Engine.launch(context());
        seedEngine.addTorrent(metainfo, seedDir, true, TorrentListener.NONE, null);
    }

    static Context context()
    {
        return new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0).threads(1)
            .threadingMode(ThreadingMode.DEDICATED);
    }

    public Metainfo metainfo()
    {
        return metainfo;
    }

    /** Runs {@code leechers} fresh leechers against the seed; returns the seconds until all completed. */
    public double transfer(final int leechers, final long timeoutSeconds) throws Exception
    {
        final Engine[] engines = new Engine[leechers];
        final TorrentHandle[] handles = new TorrentHandle[leechers];
        final InetSocketAddress seed = new InetSocketAddress(InetAddress.getLoopbackAddress(),
            seedEngine.listenAddress().getPort());
        try
        {
            for (int i = 0; i < leechers; i++)
            {
                final Path dir = work.resolve("leech" + i);
                deleteTree(dir);
                engines[i] = Engine.launch(context());
                handles[i] = engines[i].addTorrent(metainfo, dir, false, TorrentListener.NONE, null);
            }
            final long start = System.nanoTime();
            for (int i = 0; i < leechers; i++)
            {
                handles[i].addPeers(List.of(seed));
                for (int j = 0; j < i; j++)
                {
                    handles[i].addPeers(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        engines[j].listenAddress().getPort())));
                }
            }
            for (final TorrentHandle handle : handles)
            {
                handle.completion().get(timeoutSeconds, TimeUnit.SECONDS);
            }
            return (System.nanoTime() - start) / 1e9;
        }
        finally
        {
            for (final Engine engine : engines)
            {
                if (engine != null)
                {
                    engine.close();
                }
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        seedEngine.close();
    }

    static void writeRandom(final Path file, final long bytes) throws IOException
    {
        final Random random = new Random(42);
        final byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file))
        {
            for (long left = bytes; left > 0; left -= chunk.length)
            {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int)Math.min(left, chunk.length));
            }
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(p);
            }
        }
    }

    /** {@code java -cp bench.jar io.spate.bench.InProcessPair [MiB] [leechers] [rounds]}: prints MB/s per round. */
    public static void main(final String[] args) throws Exception
    {
        final long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        final int leechers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final Path work = Path.of(System.getProperty("spate.bench.dir", "/tmp/spate-bench"));
        try (InProcessPair pair = new InProcessPair(work, mib << 20, 1 << 20))
        {
            for (int r = 0; r < rounds; r++)
            {
                final double s = pair.transfer(leechers, 600);
                System.out.printf("round %d: %d MiB x %d leechers in %.3f s = %.1f MB/s per leecher%n",
                    r, mib, leechers, s, (mib << 20) / s / 1e6);
            }
        }
    }
}
