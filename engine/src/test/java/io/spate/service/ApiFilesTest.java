package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.spate.service.ApiTorrentsTest.json;
import static io.spate.service.ApiTorrentsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/torrents/HASH/files} and the add request's {@code file_priorities}, good and bad: priorities set as a
 * list or by index are persisted and shown; bad ones are refused with 400 naming the field, an unknown torrent 404.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiFilesTest
{
    @TempDir
    Path tmp;
    private TestDaemon d;
    private byte[] torrent;
    private String hash;
    private Path data;

    @BeforeEach
    void start() throws Exception
    {
        d = TestDaemon.start(tmp.resolve("state"));
        data = tmp.resolve("data");
        for (int i = 0; i < 3; i++)
        {
            TestData.file(data.resolve("set/f" + i + ".bin"), 30_000, i);
        }
        torrent = TorrentBuilder.of(data.resolve("set")).pieceLength(16 * 1024).build();
        hash = Metainfo.parse(torrent).infoHashHex();
    }

    @AfterEach
    void stop()
    {
        d.close();
    }

    private static List<Integer> priorities(final JsonNode detail)
    {
        final List<Integer> list = new ArrayList<>();
        detail.path("files").forEach(f -> list.add(f.path("priority").asInt()));
        return list;
    }

    private String files()
    {
        return "/api/torrents/" + hash + "/files";
    }

    @Test
    void prioritiesGivenAtAddAndChangedByListOrIndexArePersistedAndShown() throws Exception
    {
        final JsonNode added = ok(d.postTorrent("/api/torrents?dir=" + data + "&file_priorities=1,0,7", torrent), 201);
        assertEquals(60_000, added.path("wanted").asLong());
        assertTrue(TestDaemon.await(() -> d.daemon.get(hash).state() == ManagedTorrent.State.SEEDING, 30));
        final JsonNode detail = ok(d.get(files()), 200);
        assertEquals(List.of(1, 0, 7), priorities(detail));
        assertEquals(List.of(0, 1, 2), detail.path("files").findValuesAsText("index").stream().map(Integer::valueOf)
            .toList());

        assertEquals(List.of(2, 2, 2), priorities(ok(d.postJson(files(), "{\"priorities\":[2,2,2]}"), 200)));
        final JsonNode one = ok(d.postJson(files(), "{\"priorities\":{\"1\":0}}"), 200);
        assertEquals(List.of(2, 0, 2), priorities(one));
        assertEquals(60_000, one.path("wanted").asLong());
        final String entry = Files.readString(d.state.resolve("torrents/" + hash + ".json"));
        assertTrue(entry.contains("\"file_priorities\":[2,0,2]"), entry);
    }

    @Test
    void badPrioritiesAndIndexesAreRefusedNamingTheField() throws Exception
    {
        ok(d.postTorrent("/api/torrents?dir=" + data, torrent), 201);
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":[4,0]}"), 400, "priorities: 2 priorities for a torrent of 3");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":[4,8,4]}"), 400, "priorities[1]: a priority must be an " +
            "integer 0..7, got 8");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":[4,\"x\",4]}"), 400, "priorities[1]");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":{\"3\":1}}"), 400, "priorities.3: no such file");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":{\"a\":1}}"), 400, "priorities: 'a' is not a file index");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":{\"0\":-1}}"), 400, "priorities.0: a priority must be");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priorities\":\"all\"}"), 400, "priorities: must be a list");
        TestDaemon.assertRefused(d.postJson(files(), "{}"), 400, "priorities: missing");
        TestDaemon.assertRefused(d.postJson(files(), "{\"priority\":[4,4,4]}"), 400, "priority: unknown field");
        TestDaemon.assertRefused(d.send("DELETE", files(), null, null), 405, "");
        TestDaemon.assertRefused(d.postJson("/api/torrents/" + "0".repeat(40) + "/files", "{\"priorities\":[4]}"), 404, "");
        assertEquals(List.of(4, 4, 4), priorities(json(d.get(files()))), "a refused change changed nothing");
    }

    @Test
    void theCliClientAddsWithASelectionAndShowsAndSetsPriorities() throws Exception
    {
        final Path file = tmp.resolve("set.torrent");
        Files.write(file, torrent);
        final io.spate.cli.CliRun add = io.spate.cli.CliRun.of("add", file.toString(), "--dir", data.toString(),
            "--select-files", "0,2", "--api", d.apiAddress());
        assertEquals(0, add.exit(), add::toString);
        assertEquals(List.of(4, 0, 4), priorities(json(d.get(files()))));

        final io.spate.cli.CliRun set = io.spate.cli.CliRun.of("files", hash, "--set", "1=6", "--set", "2=0",
            "--api", d.apiAddress());
        assertEquals(0, set.exit(), set::toString);
        assertTrue(set.out().contains("    2  skip"), set.out());
        assertEquals(List.of(4, 6, 0), priorities(json(d.get(files()))));

        final io.spate.cli.CliRun select = io.spate.cli.CliRun.of("files", hash, "--select-files", "1",
            "--api", d.apiAddress(), "--json");
        assertEquals(0, select.exit(), select::toString);
        assertEquals(List.of(0, 4, 0), priorities(ServiceJson.MAPPER.readTree(select.out())));

        final io.spate.cli.CliRun bad = io.spate.cli.CliRun.of("files", hash, "--select-files", "5",
            "--api", d.apiAddress());
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("usage error: --select-files: file index 5 is out of range"), bad.err());
    }

    @Test
    void badFilePrioritiesAtAddAreRefusedAndNothingIsAdded() throws Exception
    {
        TestDaemon.assertRefused(d.postTorrent("/api/torrents?dir=" + data + "&file_priorities=4,4", torrent), 400,
            "file_priorities: 2 priorities for a torrent of 3 files");
        TestDaemon.assertRefused(d.postTorrent("/api/torrents?dir=" + data + "&file_priorities=4,x,4", torrent), 400,
            "file_priorities[1]");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"torrent\":\"" + java.util.Base64.getEncoder().encodeToString(torrent)
            + "\",\"file_priorities\":[4,9,4]}"), 400, "file_priorities[1]: a priority must be 0..7, got 9");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"magnet\":\"magnet:?xt=urn:btih:" + hash +
            "\",\"file_priorities\":[4]}"), 400, "file_priorities: a magnet link's files are not known");
        assertEquals(0, json(d.get("/api/torrents")).size());
        assertFalse(Files.exists(d.state.resolve("torrents/" + hash + ".json")));
    }
}
