package io.spate.bench;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.storage.TorrentStorage;
import io.spate.verify.BlockEvent;
import io.spate.verify.CompletionQueue;
import io.spate.verify.PieceResult;
import io.spate.verify.TorrentRegistry;
import io.spate.verify.VerifyPipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The verify pipeline alone, no network: one producer publishes every block of a torrent as fast as the ring
 * takes them (data copied from the seed's file), the write and hash stages do their work, and the time until every
 * piece is verified gives the pipeline's capacity in MB/s.
 * {@code java -cp bench.jar io.spate.bench.PipelineProbe [MiB] [rounds]}
 */
public final class PipelineProbe
{
    public static void main(final String[] args) throws Exception
    {
        final long mib = args.length > 0 ? Long.parseLong(args[0]) : 512;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final Path work = Path.of(System.getProperty("spate.bench.dir", "/tmp/spate-bench"));
        final Path seedDir = work.resolve("seed");
        Files.createDirectories(seedDir);
        final Path data = seedDir.resolve("data.bin");
        if (!Files.exists(data) || Files.size(data) != mib << 20)
        {
            InProcessPair.writeRandom(data, mib << 20);
        }
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(data).pieceLength(1 << 20).build());
        final byte[] source = Files.readAllBytes(data);
        for (int r = 0; r < rounds; r++)
        {
            final Path dir = work.resolve("probe");
            InProcessPair.deleteTree(dir);
            final TorrentRegistry registry = new TorrentRegistry(4, 1);
            final AtomicInteger verified = new AtomicInteger();
            registry.setAgent(0, new CompletionQueue((t, p, result) -> { }, () -> { }));
            final CompletionQueue queue = new CompletionQueue((t, p, result) ->
            {
                if (result == PieceResult.VERIFIED)
                {
                    verified.incrementAndGet();
                }
            }, () -> { });
            registry.setAgent(0, queue);
            try (TorrentStorage storage = TorrentStorage.open(meta, dir, true);
                 VerifyPipeline pipeline = new VerifyPipeline(1024, 1, registry))
            {
                final int id = registry.addTorrent(storage);
                final long start = System.nanoTime();
                for (int piece = 0; piece < meta.pieceCount(); piece++)
                {
                    final int size = meta.pieceSize(piece);
                    for (int begin = 0; begin < size; begin += BlockEvent.MAX_BLOCK)
                    {
                        final int len = Math.min(BlockEvent.MAX_BLOCK, size - begin);
                        final long seq = pipeline.claim();
                        final BlockEvent e = pipeline.event(seq);
                        e.set(id, piece, begin, len, 0, begin + len == size);
                        e.data().putBytes(0, source, (int)((long)piece * meta.pieceLength() + begin), len);
                        pipeline.publish(seq);
                    }
                    queue.drain(1024);
                }
                while (verified.get() < meta.pieceCount())
                {
                    queue.drain(1024);
                    Thread.onSpinWait();
                }
                final double s = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: %d MiB written+verified in %.3f s = %.0f MB/s%n", r, mib, s,
                    (mib << 20) / s / 1e6);
            }
        }
    }
}
