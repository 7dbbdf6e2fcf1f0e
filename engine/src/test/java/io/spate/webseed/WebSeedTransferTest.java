package io.spate.webseed;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.testing.HttpFileServer;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.spate.webseed.WebSeedFetchTest.torrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole engines on loopback with a real web server: a torrent whose only source is a web seed completes, single-
 * and multi-file, byte-identical; a web seed serving a corrupt range is dropped (a warning naming it) and the
 * download completes from a Spate seed in the same JVM. No tracker: the web seed, then the seed, are given directly.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebSeedTransferTest
{
    @TempDir
    Path tmp;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Test
    void singleFileFromAWebSeedAlone() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("www/movie.bin"), 5 * 1024 * 1024 + 4321, 31);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             Engine engine = launch())
        {
            final Metainfo meta = torrent(file, 256 * 1024, server.url("/"));
            final TorrentHandle leech = add(engine, meta, tmp.resolve("leech"), false);
            leech.completion().get(120, TimeUnit.SECONDS);
            assertEquals(TestData.manifest(tmp.resolve("www")), TestData.manifest(tmp.resolve("leech")));
            assertEquals(meta.totalLength(), leech.stats().webSeedBytes.get(), "every byte from the web seed");
            assertEquals(0, leech.stats().hashFailures.get());
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void multiFileFromAWebSeedAlone() throws Exception
    {
        final Path album = tmp.resolve("www/mirror/album");
        TestData.file(album.resolve("cd 1/01 intro.flac"), 700_001, 32);
        TestData.file(album.resolve("cd 1/02.flac"), 16_384, 33);
        Files.createDirectories(album.resolve("cd 2/extras"));
        Files.write(album.resolve("cd 2/extras/empty.txt"), new byte[0]);
        TestData.file(album.resolve("cd 2/03 ü.flac"), 1_234_567, 34);
        TestData.file(album.resolve("z/last.bin"), 5, 35);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             Engine engine = launch())
        {
            final Metainfo meta = torrent(album, 32 * 1024, server.url("/mirror/"));
            final TorrentHandle leech = add(engine, meta, tmp.resolve("leech"), false);
            leech.completion().get(120, TimeUnit.SECONDS);
            assertEquals(TestData.manifest(tmp.resolve("www/mirror")), TestData.manifest(tmp.resolve("leech")));
            assertEquals(meta.totalLength(), leech.stats().webSeedBytes.get());
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void aFinishedTorrentFetchesFromItsWebSeedTheFilesWantedLater() throws Exception
    {
        final Path album = tmp.resolve("www/album");
        TestData.file(album.resolve("a.bin"), 300_001, 41);
        TestData.file(album.resolve("b.bin"), 500_003, 42);
        TestData.file(album.resolve("c.bin"), 70_007, 43);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             Engine engine = launch())
        {
            final Metainfo meta = torrent(album, 32 * 1024, server.url("/"));
            final TorrentHandle leech = engine.addTorrent(meta, tmp.resolve("leech"), false,
                FilePriorities.of(List.of(4, 0, 4), 3, "test"), new TorrentListener()
                {
                    @Override
                    public void onWarning(final String message)
                    {
                        warnings.add(message);
                    }
                }, null);
            leech.completion().get(120, TimeUnit.SECONDS);
            assertFalse(Files.exists(tmp.resolve("leech/album/b.bin")), "the skipped file is never made");

            leech.filePriorities(FilePriorities.all(3)).get(30, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!leech.isFinished() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertTrue(leech.isFinished(), "the file wanted later came from the web seed");
            assertEquals(TestData.manifest(tmp.resolve("www")), TestData.manifest(tmp.resolve("leech")));
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void aWebSeedAndAPeerShareTheDownload() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("www/data.bin"), 8 * 1024 * 1024 + 777, 37);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             Engine seedEngine = launch();
             Engine leechEngine = launch())
        {
            final Metainfo meta = torrent(file, 32 * 1024, server.url("/data.bin"));
            add(seedEngine, meta, tmp.resolve("www"), true);
            final TorrentHandle leech = add(leechEngine, meta, tmp.resolve("leech"), false);
            leech.addPeers(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                seedEngine.listenAddress().getPort())));
            leech.completion().get(120, TimeUnit.SECONDS);
            assertEquals(TestData.sha256(file), TestData.sha256(tmp.resolve("leech/data.bin")));
            final var stats = leech.stats();
            System.out.println("web seed " + stats.webSeedBytes.get() + " B, peers " +
                (stats.downloadedBytes.get() - stats.webSeedBytes.get()) + " B, wasted " + stats.wastedBytes.get() +
                " B, in " + server.requests().size() + " requests");
            assertEquals(meta.totalLength(), stats.downloadedBytes.get(), "each block taken once");
            assertEquals(0, stats.hashFailures.get());
            assertEquals(0, stats.peersBanned.get());
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void aWebSeedServingACorruptRangeIsDroppedAndPeersFinish() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("www/data.bin"), 4 * 1024 * 1024, 36);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).corrupt("data.bin", 1_000_000, 2_000_000);
             Engine seedEngine = launch();
             Engine leechEngine = launch())
        {
            final Metainfo meta = torrent(file, 64 * 1024, server.url("/data.bin"));
            final TorrentHandle leech = add(leechEngine, meta, tmp.resolve("leech"), false);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (warnings.stream().noneMatch(w -> w.contains(" dropped: ")))
            {
                assertTrue(System.nanoTime() < deadline, "web seed never dropped: " + warnings);
                Thread.sleep(20);
            }
            assertTrue(warnings.stream().anyMatch(w -> w.matches("web seed " +
                server.url("/data.bin").replace(".", "\\.") + " dropped: piece \\d+ failed its SHA-1 check " +
                "\\(3 bad pieces\\)")), warnings::toString);
            assertTrue(leech.stats().hashFailures.get() >= 3);
            assertFalse(leech.completion().isDone(), "the corrupt range is still missing");

            add(seedEngine, meta, tmp.resolve("www"), true);
            leech.addPeers(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                seedEngine.listenAddress().getPort())));
            leech.completion().get(120, TimeUnit.SECONDS);
            assertEquals(TestData.sha256(file), TestData.sha256(tmp.resolve("leech/data.bin")));
            assertTrue(leech.stats().webSeedBytes.get() > 0, "the good ranges came from the web seed");
        }
    }

    private static Engine launch() throws Exception
    {
        return Engine.launch(new Context()
            .bindAddress(InetAddress.getLoopbackAddress())
            .port(0)
            .threads(1)
            .threadingMode(ThreadingMode.SHARED)
            .ringSize(256)
            .diskHandlers(1));
    }

    private TorrentHandle add(final Engine engine, final Metainfo meta, final Path dir, final boolean seed)
        throws Exception
    {
        return engine.addTorrent(meta, dir, seed, new TorrentListener()
        {
            @Override
            public void onWarning(final String message)
            {
                warnings.add(message);
            }
        }, null);
    }
}
