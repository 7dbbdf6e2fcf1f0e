package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input on every endpoint: a JSON error with the right status and a message naming the problem. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiRefusalsTest
{
    @TempDir
    Path tmp;
    private TestDaemon d;

    @BeforeEach
    void start() throws Exception
    {
        d = TestDaemon.start(tmp.resolve("state"));
    }

    @AfterEach
    void stop()
    {
        d.close();
    }

    @Test
    void badTorrentBytesNameTheField() throws Exception
    {
        TestDaemon.assertRefused(d.postTorrent("/api/torrents", "not bencode".getBytes()), 400, "torrent: ");
        TestDaemon.assertRefused(d.postTorrent("/api/torrents", "d4:infod4:name1:aee".getBytes()), 400, "info: missing");
        TestDaemon.assertRefused(d.postTorrent("/api/torrents", new byte[0]), 400, "torrent: ");
    }

    @Test
    void badJsonBodiesNameTheProblem() throws Exception
    {
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{"), 400, "body: not JSON");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "[1]"), 400, "body: must be a JSON object");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{}"), 400, "exactly one");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"magnet\": \"x\", \"path\": \"/y\"}"), 400, "exactly one");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"frobnicate\": 1}"), 400, "frobnicate: unknown field");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"magnet\": \"magnet:?dn=x\"}"), 400, "magnet: ");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"magnet\": 7}"), 400, "magnet: must be a string");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"path\": \"" + tmp.resolve("none.torrent") + "\"}"), 400,
            "no such file");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"torrent\": \"***\"}"), 400, "torrent: not base64");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{\"magnet\": \"magnet:?xt=urn:btih:" + "ab".repeat(20) +
            "\", \"paused\": \"yes\"}"), 400, "paused: must be true or false");
        TestDaemon.assertRefused(d.send("POST", "/api/torrents", "text/plain", "hello".getBytes()), 400, "Content-Type");
    }

    @Test
    void aRelativeDataDirIsRefused() throws Exception
    {
        final byte[] torrent = TestDaemon.torrentOf(tmp.resolve("c.bin"), 20_000, 3, null);
        TestDaemon.assertRefused(d.postTorrent("/api/torrents?dir=relative/dir", torrent), 400, "dir: must be an absolute path");
        TestDaemon.assertRefused(d.postTorrent("/api/torrents?paused=maybe", torrent), 400, "paused: must be true or false");
    }

    @Test
    void addingTwiceIsAConflict() throws Exception
    {
        final byte[] torrent = TestDaemon.torrentOf(tmp.resolve("d.bin"), 20_000, 4, null);
        assertEquals(201, d.postTorrent("/api/torrents?paused=true&dir=" + tmp, torrent).statusCode());
        TestDaemon.assertRefused(d.postTorrent("/api/torrents?dir=" + tmp, torrent), 409, "already added");
    }

    @Test
    void unknownAndMalformedInfoHashes() throws Exception
    {
        final String unknown = "ab".repeat(20);
        TestDaemon.assertRefused(d.get("/api/torrents/" + unknown), 404, "no torrent with info-hash " + unknown);
        TestDaemon.assertRefused(d.send("DELETE", "/api/torrents/" + unknown, null, null), 404, unknown);
        TestDaemon.assertRefused(d.send("POST", "/api/torrents/" + unknown + "/pause", null, null), 404, unknown);
        TestDaemon.assertRefused(d.send("POST", "/api/torrents/" + unknown + "/resume", null, null), 404, unknown);
        TestDaemon.assertRefused(d.send("POST", "/api/torrents/" + unknown + "/reannounce", null, null), 404, unknown);
        TestDaemon.assertRefused(d.send("PUT", "/api/torrents/" + unknown + "/limits", "application/json", "{}".getBytes()), 404,
            unknown);
        TestDaemon.assertRefused(d.get("/api/torrents/xyz"), 400, "info-hash: must be 40 hex digits");
        TestDaemon.assertRefused(d.get("/api/torrents/" + unknown + "/frobnicate"), 404, "no such endpoint");
    }

    @Test
    void badLimitsAndSettings() throws Exception
    {
        final byte[] torrent = TestDaemon.torrentOf(tmp.resolve("e.bin"), 20_000, 5, null);
        final String hash = Metainfo.parse(torrent).infoHashHex();
        assertEquals(201, d.postTorrent("/api/torrents?paused=true&dir=" + tmp, torrent).statusCode());
        TestDaemon.assertRefused(d.send("PUT", "/api/torrents/" + hash + "/limits", "application/json",
            "{\"upload_limit\": -1}".getBytes()), 400, "upload_limit: must be 0");
        TestDaemon.assertRefused(d.send("PUT", "/api/torrents/" + hash + "/limits", "application/json",
            "{\"download_limit\": \"fast\"}".getBytes()), 400, "download_limit: must be an integer");
        TestDaemon.assertRefused(d.send("PUT", "/api/settings", "application/json", "{\"max_upload_rate\": 1.5}".getBytes()), 400,
            "max_upload_rate");
        TestDaemon.assertRefused(d.send("PUT", "/api/settings", "application/json", "{\"max_rate\": 1}".getBytes()), 400,
            "max_rate: unknown field");
        TestDaemon.assertRefused(d.send("PUT", "/api/settings", "application/json", "nope".getBytes()), 400, "not JSON");
        assertEquals(0, ServiceJson.MAPPER.readTree(d.get("/api/settings").body()).path("max_upload_rate").asLong());
    }

    @Test
    void wrongMethodsAndPaths() throws Exception
    {
        final HttpResponse<String> patch = d.send("PATCH", "/api/torrents", "application/json", "{}".getBytes());
        TestDaemon.assertRefused(patch, 405, "method PATCH is not allowed on /api/torrents");
        assertEquals("GET, POST", patch.headers().firstValue("Allow").orElse(""));
        TestDaemon.assertRefused(d.send("POST", "/api/settings", "application/json", "{}".getBytes()), 405, "allowed: GET, PUT");
        TestDaemon.assertRefused(d.send("POST", "/api/stats", null, null), 405, "allowed: GET");
        TestDaemon.assertRefused(d.send("DELETE", "/metrics", null, null), 405, "allowed: GET");
        TestDaemon.assertRefused(d.send("GET", "/api/torrents/" + "ab".repeat(20) + "/pause", null, null), 405, "allowed: POST");
        TestDaemon.assertRefused(d.send("POST", "/", null, null), 405, "allowed: GET");
        TestDaemon.assertRefused(d.get("/api/nothing"), 404, "no such endpoint: /api/nothing");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception
    {
        final byte[] huge = new byte[(16 << 20) + 1];
        final HttpResponse<String> response = d.postTorrent("/api/torrents", huge);
        TestDaemon.assertRefused(response, 413, "larger than the limit of 16777216 bytes");
    }

    @Test
    void aForeignOriginOrHostIsRefusedOnLoopback() throws Exception
    {
        TestDaemon.assertRefused(d.get("/api/torrents", "Origin", "http://evil.example"), 403, "Origin http://evil.example");
        TestDaemon.assertRefused(d.postJson("/api/torrents", "{}"), 400, "exactly one"); // no Origin: a local client
        final String own = "http://127.0.0.1:" + d.api.address().getPort();
        assertEquals(200, d.get("/api/torrents", "Origin", own).statusCode());
        assertEquals(200, d.get("/api/torrents", "Origin", "http://localhost:" + d.api.address().getPort())
            .statusCode());
        TestDaemon.assertRefused(d.get("/api/torrents", "Origin", "http://127.0.0.1:1"), 403, "may not use this API");
    }

    @Test
    void aCorruptStateEntryIsSkippedWithAWarning() throws Exception
    {
        d.close();
        final Path torrents = tmp.resolve("state").resolve("torrents");
        Files.writeString(torrents.resolve("ab".repeat(20) + ".json"), "{garbage", StandardCharsets.UTF_8);
        d = TestDaemon.start(tmp.resolve("state"));
        assertEquals("[]", d.get("/api/torrents").body());
    }
}
