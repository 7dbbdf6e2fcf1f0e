package io.spate.webseed;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.HttpFileServer;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Web seeds that answer well: a torrent completes from one alone, single- and multi-file, in long Range requests
 * that run across pieces and files as BEP 19 lays them out; every byte lands where it belongs. Driven by
 * {@link WebSeedRig} with a fake clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebSeedFetchTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"/files/movie.bin", "/files/"})
    void singleFileFromOneWebSeedInLongRanges(final String path) throws Exception
    {
        // longer than one fetch (2 MiB): every request is a range
        final Path file = TestData.file(tmp.resolve("www/files/movie.bin"), 3 * 1024 * 1024 + 1234, 1);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             WebSeedRig rig = new WebSeedRig(torrent(file, 64 * 1024, server.url(path))))
        {
            rig.tick(0);
            rig.pumpToCompletion();
            assertArrayEquals(Files.readAllBytes(file), rig.received);
            assertEquals(4 * (rig.metainfo.pieceCount() - 1) + 1, rig.blocksDelivered, "each block once");
            assertTrue(server.requests().size() < rig.metainfo.pieceCount() / 2, "ranges of many pieces: " +
                server.requests());
            for (final String request : server.requests())
            {
                assertTrue(request.matches("/files/movie\\.bin bytes=\\d+-\\d+"), request);
                final String[] range = request.substring(request.indexOf('=') + 1).split("-");
                final long last = Long.parseLong(range[1]);
                assertTrue(last - Long.parseLong(range[0]) + 1 >= 64 * 1024 || last == Files.size(file) - 1,
                    "a piece at least: " + request);
            }
            assertEquals(0, rig.warnings.size(), rig.warnings::toString);
        }
    }

    @Test
    void multiFileUrlsNameEachFileUnderTheTorrentsFolder() throws Exception
    {
        final Path album = tmp.resolve("www/pub/my album");
        TestData.file(album.resolve("cd 1/01 intro.flac"), 300_001, 2);
        TestData.file(album.resolve("cd 1/02.flac"), 16_384, 3);
        Files.createDirectories(album.resolve("cd 2/extras"));
        Files.write(album.resolve("cd 2/extras/empty.txt"), new byte[0]);
        TestData.file(album.resolve("cd 2/ü+é#?.bin"), 123_457, 4);
        TestData.file(album.resolve("z/last.bin"), 5, 5);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             WebSeedRig rig = new WebSeedRig(torrent(album, 16 * 1024, server.url("/pub"))))
        {
            rig.tick(0);
            rig.pumpToCompletion();
            assertArrayEquals(concatenated(rig.metainfo, tmp.resolve("www/pub")), rig.received);
            assertTrue(server.requests().stream().anyMatch(r -> r.startsWith("/pub/my album/cd 2/ü+é#?.bin ")),
                server.requests()::toString);
            assertTrue(server.requests().stream().noneMatch(r -> r.contains("empty.txt")), "0-byte files: no request");
            assertEquals(0, rig.warnings.size(), rig.warnings::toString);
        }
    }

    @Test
    void blocksWaitWhileTheRingIsFullAndNothingMoreIsFetched() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("www/data.bin"), 512 * 1024, 6);
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www"));
             WebSeedRig rig = new WebSeedRig(torrent(file, 16 * 1024, server.url("/data.bin"))))
        {
            rig.room = 3;
            rig.tick(0);
            rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "received the first fetches");
            final int firstRound = server.requests().size();
            rig.tick(WebSeedRig.SECOND_NS);
            assertEquals(0, rig.webSeeds.fetchesInFlight());
            assertTrue(rig.webSeeds.fetchesWaiting() > 0);
            assertEquals(3, rig.blocksDelivered, "no room, no delivery");
            assertEquals(firstRound, server.requests().size(), "nothing fetched while blocks wait");
            rig.room = -1;
            rig.pumpToCompletion();
            assertArrayEquals(Files.readAllBytes(file), rig.received);
        }
    }

    static Metainfo torrent(final Path content, final int pieceLength, final String webSeed) throws Exception
    {
        return Metainfo.parse(TorrentBuilder.of(content).pieceLength(pieceLength).webSeed(webSeed).build());
    }

    /** The torrent's byte stream: its files' contents in its order, read from under {@code dir}. */
    static byte[] concatenated(final Metainfo metainfo, final Path dir) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final var file : metainfo.files())
        {
            Path path = dir.resolve(metainfo.name());
            for (final String element : file.path())
            {
                path = path.resolve(element);
            }
            out.write(Files.readAllBytes(path));
        }
        return out.toByteArray();
    }
}
