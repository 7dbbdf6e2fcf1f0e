package io.spate.service;

import io.spate.cli.CliRun;
import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code add --sequential} and {@code set HASH --sequential on|off} against a real daemon, and their bad input. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliSequentialTest
{
    @TempDir
    Path tmp;

    private static CliRun run(final int exit, final String... args)
    {
        final CliRun run = CliRun.of(args);
        assertEquals(exit, run.exit(), run.toString());
        return run;
    }

    private static boolean sequential(final String api) throws Exception
    {
        return ServiceJson.MAPPER.readTree(run(0, "ls", "--json", "--api", api).out()).get(0).path("sequential")
            .asBoolean();
    }

    @Test
    void sequentialIsSetByAddAndToggledBySet() throws Exception
    {
        final Path data = tmp.resolve("data");
        final Path torrentFile = tmp.resolve("s.torrent");
        Files.write(torrentFile, TestDaemon.torrentOf(data.resolve("s.bin"), 100_000, 12, null));
        final String hash = Metainfo.load(torrentFile).infoHashHex();
        try (DaemonProcess daemon = new DaemonProcess(tmp.resolve("state")))
        {
            final String api = daemon.api;
            run(0, "add", torrentFile.toString(), "--dir", data.toString(), "--sequential", "--api", api);
            assertTrue(sequential(api));
            assertEquals(hash + " s.bin: sequential off\n", run(0, "set", hash, "--sequential", "off", "--api", api)
                .out());
            assertFalse(sequential(api));
            assertEquals(hash + " s.bin: sequential on\n", run(0, "set", hash, "--sequential", "on", "--api", api)
                .out());
            assertTrue(sequential(api));

            assertTrue(run(2, "set", hash, "--sequential", "maybe", "--api", api).err()
                .contains("--sequential must be on or off, got 'maybe'"));
            assertTrue(run(2, "set", hash, "--api", api).err().contains("give a setting to change: --sequential"));
            assertTrue(run(2, "set", "xyz", "--sequential", "on", "--api", api).err()
                .contains("INFO-HASH must be 40 hex digits"));
            assertTrue(run(1, "set", "ab".repeat(20), "--sequential", "on", "--api", api).err()
                .contains("no torrent with info-hash " + "ab".repeat(20) + " (HTTP 404)"));
        }
    }
}
