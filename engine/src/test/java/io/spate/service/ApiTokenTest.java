package io.spate.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token an API off loopback requires: 401 without it or with a wrong one, both header forms accepted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiTokenTest
{
    @TempDir
    Path tmp;

    @Test
    void requestsWithoutTheTokenAre401() throws Exception
    {
        try (TestDaemon d = TestDaemon.startWithToken(tmp.resolve("state")))
        {
            final String token = Files.readString(tmp.resolve("state").resolve("api-token")).trim();
            assertEquals(64, token.length());
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve("state").resolve("api-token"))));

            assertEquals(401, d.get("/api/torrents").statusCode());
            assertTrue(d.get("/api/torrents").body().contains("token: missing or wrong"));
            assertEquals(401, d.get("/metrics").statusCode());
            assertEquals(401, d.get("/api/torrents", "X-Spate-Token", token + "x").statusCode());
            assertEquals(401, d.get("/api/torrents", "Authorization", "Bearer nope").statusCode());
            assertEquals(401, d.postJson("/api/torrents", "{\"magnet\": \"magnet:?xt=urn:btih:" + "ab".repeat(20) +
                "\"}").statusCode());

            assertEquals(200, d.get("/api/torrents", "X-Spate-Token", token).statusCode());
            assertEquals(200, d.get("/api/stats", "Authorization", "Bearer " + token).statusCode());
            assertEquals(200, d.get("/metrics", "Authorization", "bearer " + token).statusCode());
            assertEquals(200, d.get("/").statusCode(), "the page holds no data: it asks for the token");
        }
    }

    @Test
    void theTokenSurvivesRestarts() throws Exception
    {
        final StateDir state = new StateDir(tmp.resolve("state"));
        final String first = state.apiToken();
        assertEquals(first, new StateDir(tmp.resolve("state")).apiToken());
        assertEquals(first, StateDir.readToken(tmp.resolve("state")));
    }

    @Test
    void onlyLoopbackGoesWithoutAToken() throws Exception
    {
        assertFalse(config("127.0.0.1").apiNeedsToken());
        assertFalse(config("::1").apiNeedsToken());
        assertTrue(config("0.0.0.0").apiNeedsToken());
        assertTrue(config("192.0.2.1").apiNeedsToken());
    }

    private DaemonConfig config(final String host) throws Exception
    {
        return new DaemonConfig(tmp, 0, null, new InetSocketAddress(InetAddress.getByName(host), 9091), 1, 1000);
    }
}
