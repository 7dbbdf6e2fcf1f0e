package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.cli.CliRun;
import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client commands against a real {@code spate daemon} process: add, ls, pause, resume, limit, stats, rm, with
 * their text and {@code --json} output and exit codes (0 ok, 2 usage, 1 runtime with one stderr line); then SIGTERM
 * stops the daemon with exit 0 and the torrent comes back after a restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliClientTest
{
    @TempDir
    Path tmp;

    private static CliRun ok(final String... args)
    {
        final CliRun run = CliRun.of(args);
        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.err(), run.toString());
        return run;
    }

    private static void failsWith(final int exit, final String message, final String... args)
    {
        final CliRun run = CliRun.of(args);
        assertEquals(exit, run.exit(), run.toString());
        assertTrue(run.err().contains(message), run.toString());
        if (exit == 1)
        {
            assertEquals(1, run.err().lines().count(), "one line: " + run);
        }
    }

    @Test
    void clientCommandsDriveARunningDaemon() throws Exception
    {
        final Path state = tmp.resolve("state");
        final Path data = tmp.resolve("data");
        final Path torrentFile = tmp.resolve("c.torrent");
        Files.write(torrentFile, TestDaemon.torrentOf(data.resolve("c.bin"), 200_000, 11, null));
        final String hash = Metainfo.load(torrentFile).infoHashHex();
        try (DaemonProcess daemon = new DaemonProcess(state))
        {
            final String api = daemon.api;
            final CliRun added = ok("add", torrentFile.toString(), "--dir", data.toString(), "--api", api);
            assertTrue(added.out().startsWith("added " + hash + " c.bin"), added.toString());
            failsWith(1, "already added (HTTP 409)", "add", torrentFile.toString(), "--dir", data.toString(),
                "--api", api);

            assertTrue(TestDaemon.await(() -> CliRun.of("ls", "--api", api).out().contains("seeding"), 30));
            final CliRun ls = ok("ls", "--api", api);
            assertTrue(ls.out().startsWith("INFO-HASH"), ls.out());
            assertTrue(ls.out().contains(hash + "  seeding      100.0%"), ls.out());
            final JsonNode list = ServiceJson.MAPPER.readTree(ok("ls", "--api", api, "--json").out());
            assertEquals(hash, list.get(0).path("info_hash").asText());

            assertTrue(ok("pause", hash, "--api", api).out().contains(": paused"));
            assertTrue(ok("resume", hash, "--api", api).out().contains(hash));
            assertEquals("global: upload 20.0 MiB/s, download unlimited\n",
                ok("limit", "--up", "20M", "--api", api).out());
            assertEquals("global: upload 20.0 MiB/s, download unlimited\n", ok("limit", "--api", api).out());
            assertEquals(hash + ": upload unlimited, download 512.0 KiB/s\n",
                ok("limit", "--torrent", hash, "--down", "512K", "--api", api).out());
            final CliRun stats = ok("stats", "--api", api);
            assertTrue(stats.out().startsWith("torrents   1 "), stats.out());
            assertEquals(1, ServiceJson.MAPPER.readTree(ok("stats", "--json", "--api", api).out())
                .path("torrents").asInt());

            failsWith(2, "INFO-HASH must be 40 hex digits", "rm", "xyz", "--api", api);
            failsWith(2, "Missing required parameter: 'INFO-HASH'", "pause", "--api", api);
            failsWith(2, "Invalid value for option '--up'", "limit", "--up", "fast", "--api", api);
            failsWith(1, "no torrent with info-hash " + "ab".repeat(20) + " (HTTP 404)", "pause", "ab".repeat(20),
                "--api", api);
            failsWith(1, "no such file", "add", tmp.resolve("missing.torrent").toString(), "--api", api);

            assertEquals(0, daemon.stop(), daemon.lines().toString());
            assertTrue(TestDaemon.await(() -> daemon.lines().stream()
                .anyMatch(l -> l.contains("\"event\":\"stopped\"")), 5), daemon.lines().toString());
        }
        try (DaemonProcess daemon = new DaemonProcess(state))
        {
            assertTrue(TestDaemon.await(() -> CliRun.of("ls", "--api", daemon.api).out().contains("seeding"), 30));
            final JsonNode torrent = ServiceJson.MAPPER.readTree(ok("ls", "--json", "--api", daemon.api).out())
                .get(0);
            assertEquals("fast resume", torrent.path("resume").asText());
            assertEquals(524288, torrent.path("download_limit").asLong(), "limits persisted");
            assertEquals("removed " + hash + " and its data\n",
                ok("rm", hash, "--delete-data", "--api", daemon.api).out());
            assertTrue(Files.notExists(data.resolve("c.bin")));
        }
    }

    @Test
    void aDaemonThatIsNotThereIsOneLineAndExit1() throws Exception
    {
        failsWith(1, "cannot reach the daemon at http://127.0.0.1:1", "ls", "--api", "127.0.0.1:1");
        failsWith(2, "--api must be HOST:PORT", "ls", "--api", "nowhere");
        failsWith(1, "api-token: no such file", "ls", "--state", tmp.toString());
    }

    @Test
    void theTokenIsReadFromTheStateDirAndLimitsFromTheCommandLine() throws Exception
    {
        final Path state = tmp.resolve("state");
        try (DaemonProcess daemon = new DaemonProcess(state, "--max-upload-rate", "1M"))
        {
            assertEquals("global: upload 1.0 MiB/s, download unlimited\n", ok("limit", "--api", daemon.api).out());
            // the daemon is on loopback, so the token is optional, but a wrong one given is still not checked;
            // what is checked here is that --state finds the token the daemon wrote
            assertEquals(StateDir.readToken(state).length(), 64);
            ok("ls", "--state", state.toString(), "--api", daemon.api);
            ok("ls", "--token", StateDir.readToken(state), "--api", daemon.api);
        }
    }
}
