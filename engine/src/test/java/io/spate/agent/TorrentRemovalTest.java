package io.spate.agent;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long-running engine adds and removes torrents for good: each removal frees the torrent's id and closes its
 * files, so more torrents than the engine holds at once come and go without running out of ids or descriptors.
 */
@Timeout(120)
class TorrentRemovalTest
{
    @TempDir
    Path tmp;

    @Test
    void removedTorrentsGiveBackTheirIdsAndFiles() throws Exception
    {
        final Path data = TestData.file(tmp.resolve("seed").resolve("data.bin"), 64 * 1024, 5);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(data).pieceLength(16 * 1024).build());
        try (Engine engine = Engine.launch(new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0)
            .threads(1).threadingMode(ThreadingMode.SHARED).ringSize(64).diskHandlers(1)))
        {
            final long fdsBefore = openFileDescriptors();
            for (int i = 0; i < 300; i++) // more than the engine's 256 torrent ids
            {
                final boolean seed = i % 2 == 0;
                final Path dir = seed ? tmp.resolve("seed") : tmp.resolve("leech-" + i);
                final TorrentHandle torrent = engine.addTorrent(meta, dir, seed, TorrentListener.NONE, null);
                assertEquals(seed ? meta.pieceCount() : 0, torrent.verifiedPieces().get(5, TimeUnit.SECONDS)
                    .cardinality(), "round " + i);
                torrent.remove().get(30, TimeUnit.SECONDS);
            }
            final long fdsAfter = openFileDescriptors();
            assertTrue(fdsAfter <= fdsBefore + 8, "descriptors before " + fdsBefore + ", after " + fdsAfter);
        }
    }

    private static long openFileDescriptors() throws Exception
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
    }
}
