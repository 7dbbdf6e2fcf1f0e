package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.cli.CliRun;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.storage.TorrentStorage;
import io.spate.testing.TestData;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.spate.service.ApiTorrentsTest.json;
import static io.spate.service.ApiTorrentsTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selective download end to end, in one process: a seeding daemon and a tracker; {@code leech --select-files 0,2
 * --exit-when-done} of a three-file torrent whose pieces straddle the file borders exits 0 once the first and last
 * files are whole (byte-identical), the middle file never created; a second daemon takes that directory over with the
 * same priorities (finished after its check, and again after a restart by fast resume), and once the middle file is
 * wanted through the API it completes: every file byte-identical, the part file gone.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SelectiveDownloadTest
{
    private static final int PIECE = 16 * 1024;
    /** a.bin: pieces 0-2; b.bin: 2-6 (3-5 wholly inside); c.bin: 6-9. */
    private static final int[] LENGTHS = {40_000, 70_000, 50_000};

    @TempDir
    Path tmp;

    private static String state(final TestDaemon d, final String hash) throws Exception
    {
        return json(d.get("/api/torrents/" + hash)).path("state").asText();
    }

    @Test
    void leechSelectedFilesThenWantTheSkippedOneThroughTheDaemon() throws Exception
    {
        try (HttpTrackerServer tracker = new HttpTrackerServer(TrackerConfig.withInterval(1),
            List.of(new InetSocketAddress("127.0.0.1", 0))).start();
            TestDaemon seed = TestDaemon.start(tmp.resolve("seed-state")))
        {
            final Path src = tmp.resolve("src");
            for (int i = 0; i < LENGTHS.length; i++)
            {
                TestData.file(src.resolve("set/" + name(i)), LENGTHS[i], 30 + i);
            }
            final byte[] torrent = TorrentBuilder.of(src.resolve("set")).pieceLength(PIECE)
                .tracker("http://127.0.0.1:" + tracker.port() + "/announce").build();
            final Path torrentFile = tmp.resolve("set.torrent");
            Files.write(torrentFile, torrent);
            final Metainfo meta = Metainfo.parse(torrent);
            final String hash = meta.infoHashHex();
            ok(seed.postTorrent("/api/torrents?dir=" + src, torrent), 201);
            assertTrue(TestDaemon.await(() -> stateOf(seed, hash).equals("seeding"), 30));

            final Path dl = tmp.resolve("dl");
            final CliRun leech = CliRun.of("leech", torrentFile.toString(), "--dir", dl.toString(), "--port", "0",
                "--select-files", "0,2", "--exit-when-done", "--json", "--progress-interval", "0.2");
            assertEquals(0, leech.exit(), leech.toString());
            assertTrue(leech.out().contains("\"wanted\":" + (LENGTHS[0] + LENGTHS[2])), leech.out());
            assertIdentical(src, dl, 0);
            assertIdentical(src, dl, 2);
            assertFalse(Files.exists(dl.resolve("set/b.bin")), "the skipped file was created");
            assertTrue(Files.exists(dl.resolve(TorrentStorage.partFileName(meta))));

            try (TestDaemon d = TestDaemon.start(tmp.resolve("leech-state")))
            {
                ok(d.postJson("/api/torrents", "{\"path\":\"" + torrentFile + "\",\"dir\":\"" + dl +
                    "\",\"file_priorities\":[4,0,4]}"), 201);
                assertTrue(TestDaemon.await(() -> stateOf(d, hash).equals("seeding"), 30), stateOf(d, hash));
                final JsonNode detail = ok(d.get("/api/torrents/" + hash + "/files"), 200);
                assertEquals(List.of(4, 0, 4), priorities(detail));
                assertEquals(LENGTHS[0] + LENGTHS[2], detail.path("wanted").asLong());
                assertEquals(1.0, detail.path("progress").asDouble());
                assertFalse(Files.exists(dl.resolve("set/b.bin")));
            }
            try (TestDaemon d = TestDaemon.start(tmp.resolve("leech-state"))) // restarted: fast resume
            {
                assertTrue(TestDaemon.await(() -> stateOf(d, hash).equals("seeding"), 30), stateOf(d, hash));
                final JsonNode summary = json(d.get("/api/torrents/" + hash));
                assertEquals(TorrentStarter.FAST_RESUME, summary.path("resume").asText(), summary.toString());
                assertEquals(List.of(4, 0, 4), priorities(json(d.get("/api/torrents/" + hash))));

                final JsonNode changed = ok(d.postJson("/api/torrents/" + hash + "/files",
                    "{\"priorities\":{\"1\":7}}"), 200);
                assertEquals(List.of(4, 7, 4), priorities(changed));
                assertEquals(meta.totalLength(), changed.path("wanted").asLong());
                assertTrue(TestDaemon.await(() -> stateOf(d, hash).equals("seeding"), 60), stateOf(d, hash));
                for (int i = 0; i < LENGTHS.length; i++)
                {
                    assertIdentical(src, dl, i);
                }
                assertFalse(Files.exists(dl.resolve(TorrentStorage.partFileName(meta))),
                    "the part file outlived its pieces");
                assertEquals(meta.totalLength(), json(d.get("/api/torrents/" + hash)).path("verified").asLong());
            }
            try (TestDaemon d = TestDaemon.start(tmp.resolve("leech-state"))) // the new priorities were kept
            {
                assertEquals(List.of(4, 7, 4), priorities(json(d.get("/api/torrents/" + hash))));
            }
        }
    }

    private static String stateOf(final TestDaemon d, final String hash)
    {
        try
        {
            return state(d, hash);
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    private static List<Integer> priorities(final JsonNode detail)
    {
        final List<Integer> list = new java.util.ArrayList<>();
        detail.path("files").forEach(f -> list.add(f.path("priority").asInt()));
        return list;
    }

    private static String name(final int i)
    {
        return (char)('a' + i) + ".bin";
    }

    private static void assertIdentical(final Path src, final Path dl, final int i) throws Exception
    {
        assertArrayEquals(Files.readAllBytes(src.resolve("set/" + name(i))),
            Files.readAllBytes(dl.resolve("set/" + name(i))), name(i));
    }
}
