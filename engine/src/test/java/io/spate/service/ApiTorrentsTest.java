package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint of the API with good input: add (bytes, path, magnet), list, detail, pause, resume, limits, ... */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiTorrentsTest
{
    @TempDir
    Path tmp;

    static JsonNode json(final HttpResponse<String> response) throws Exception
    {
        return ServiceJson.MAPPER.readTree(response.body());
    }

    static JsonNode ok(final HttpResponse<String> response, final int status) throws Exception
    {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response);
    }

    static String state(final TestDaemon d, final String hash) throws Exception
    {
        return json(d.get("/api/torrents/" + hash)).path("state").asText();
    }

    @Test
    void addsListsDetailsPausesResumesAndRemovesATorrent() throws Exception
    {
        try (HttpTrackerServer tracker = new HttpTrackerServer(TrackerConfig.withInterval(2),
            List.of(new InetSocketAddress("127.0.0.1", 0))).start();
            TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final String announce = "http://127.0.0.1:" + tracker.port() + "/announce";
            final Path data = tmp.resolve("data");
            final byte[] torrent = TestDaemon.torrentOf(data.resolve("a.bin"), 300_000, 1, announce);
            final String hash = Metainfo.parse(torrent).infoHashHex();

            assertEquals(0, ok(d.get("/api/torrents"), 200).size());
            final JsonNode added = ok(d.postTorrent("/api/torrents?dir=" + data, torrent), 201);
            assertEquals(hash, added.path("info_hash").asText());
            assertEquals("a.bin", added.path("name").asText());
            assertTrue(TestDaemon.await(() -> stateOf(d, hash).equals("seeding"), 30), stateOf(d, hash));

            final JsonNode list = ok(d.get("/api/torrents"), 200);
            assertEquals(1, list.size());
            assertEquals(1.0, list.get(0).path("progress").asDouble());
            assertEquals(0, list.get(0).path("eta_seconds").asInt());

            final JsonNode detail = ok(d.get("/api/torrents/" + hash.toUpperCase()), 200);
            assertEquals(19, detail.path("pieces").path("count").asInt());
            assertEquals(19, detail.path("pieces").path("verified").asInt());
            assertEquals("a.bin", detail.path("files").get(0).path("path").asText());
            assertEquals(300_000, detail.path("files").get(0).path("verified").asLong());
            assertEquals(announce, detail.path("trackers").get(0).path("url").asText());
            assertTrue(detail.path("magnet").asText().startsWith("magnet:?xt=urn:btih:" + hash));

            assertEquals(hash, ok(d.send("POST", "/api/torrents/" + hash + "/reannounce", null, null), 200)
                .path("info_hash").asText());

            assertEquals("paused", ok(d.send("POST", "/api/torrents/" + hash + "/pause", null, null), 200)
                .path("state").asText());
            assertEquals(1.0, json(d.get("/api/torrents/" + hash)).path("progress").asDouble(),
                "a paused torrent shows the progress of its resume data");
            ok(d.send("POST", "/api/torrents/" + hash + "/resume", null, null), 200);
            assertTrue(TestDaemon.await(() -> stateOf(d, hash).equals("seeding"), 30), stateOf(d, hash));
            assertEquals("fast resume", json(d.get("/api/torrents/" + hash)).path("resume").asText());

            final JsonNode limited = ok(d.send("PUT", "/api/torrents/" + hash + "/limits", "application/json",
                "{\"upload_limit\": 1048576}".getBytes()), 200);
            assertEquals(1048576, limited.path("upload_limit").asLong());
            assertEquals(0, limited.path("download_limit").asLong());

            final JsonNode stats = ok(d.get("/api/stats"), 200);
            assertEquals(1, stats.path("torrents").asInt());
            assertEquals(1, stats.path("states").path("seeding").asInt());
            assertEquals(d.daemon.engine().listenAddress().getPort(), stats.path("listen_port").asInt());

            final JsonNode removed = ok(d.send("DELETE", "/api/torrents/" + hash, null, null), 200);
            assertEquals(hash, removed.path("removed").asText());
            assertEquals(404, d.get("/api/torrents/" + hash).statusCode());
            assertTrue(Files.exists(data.resolve("a.bin")), "data kept without delete_data");
            assertFalse(Files.exists(d.state.resolve("torrents").resolve(hash + ".json")));
        }
    }

    @Test
    void addsFromAPathAndDeletesDataOnRemove() throws Exception
    {
        try (TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final Path data = tmp.resolve("data");
            final Path torrentFile = tmp.resolve("b.torrent");
            Files.write(torrentFile, TestDaemon.torrentOf(data.resolve("b.bin"), 100_000, 2, null));
            final JsonNode added = ok(d.postJson("/api/torrents", "{\"path\": \"" + torrentFile + "\", \"dir\": \"" +
                data + "\", \"paused\": true}"), 201);
            final String hash = added.path("info_hash").asText();
            assertEquals("paused", added.path("state").asText());
            assertEquals(409, ok(d.send("POST", "/api/torrents/" + hash + "/reannounce", null, null), 409)
                .path("status").asInt());
            ok(d.send("DELETE", "/api/torrents/" + hash + "?delete_data=true", null, null), 200);
            assertFalse(Files.exists(data.resolve("b.bin")));
            assertTrue(Files.isDirectory(data), "only the torrent's files are deleted");
        }
    }

    @Test
    void addsAMagnetLinkThatWaitsForItsMetadata() throws Exception
    {
        try (TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final String hash = "0123456789abcdef0123456789abcdef01234567";
            final JsonNode added = ok(d.postJson("/api/torrents", "{\"magnet\": \"magnet:?xt=urn:btih:" + hash +
                "&dn=film\"}"), 201);
            assertEquals(hash, added.path("info_hash").asText());
            assertEquals("film", added.path("name").asText());
            assertTrue(List.of("metadata", "error").contains(added.path("state").asText()));
            assertTrue(Files.exists(d.state.resolve("torrents").resolve(hash + ".json")));
            assertEquals(409, d.postJson("/api/torrents", "{\"magnet\": \"magnet:?xt=urn:btih:" + hash + "\"}")
                .statusCode());
            ok(d.send("DELETE", "/api/torrents/" + hash, null, null), 200);
        }
    }

    @Test
    void settingsArePersistedAndReported() throws Exception
    {
        final Path state = tmp.resolve("state");
        try (TestDaemon d = TestDaemon.start(state))
        {
            assertEquals(0, ok(d.get("/api/settings"), 200).path("max_upload_rate").asLong());
            final JsonNode set = ok(d.send("PUT", "/api/settings", "application/json",
                "{\"max_upload_rate\": 20971520}".getBytes()), 200);
            assertEquals(20971520, set.path("max_upload_rate").asLong());
            assertEquals(0, set.path("max_download_rate").asLong());
        }
        try (TestDaemon d = TestDaemon.start(state))
        {
            assertEquals(20971520, ok(d.get("/api/settings"), 200).path("max_upload_rate").asLong());
            assertEquals(20971520, ok(d.get("/api/stats"), 200).path("settings").path("max_upload_rate").asLong());
        }
    }

    @Test
    void servesTheDashboard() throws Exception
    {
        try (TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final HttpResponse<String> page = d.get("/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>Spate</title>"));
            assertTrue(d.get("/app.js").body().contains("/api/torrents"));
            assertEquals(200, d.get("/style.css").statusCode());
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
}
