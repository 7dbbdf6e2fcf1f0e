package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disk that fills up mid-download: the torrent stops with an error naming the file and the cause, nothing is
 * written outside its directory, and the engine stays up. Runs on a 4 MiB tmpfs mounted for the test (CI runs as
 * root, as the project's machines do).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiskFullTest
{
    @TempDir
    Path tmp;

    private Path small;

    @BeforeEach
    void mountSmallDisk() throws Exception
    {
        small = tmp.resolve("small");
        Files.createDirectories(small);
        run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString());
    }

    @AfterEach
    void unmount() throws Exception
    {
        run("umount", small.toString());
    }

    private static void run(final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    @Test
    void writeFailureStopsTheTorrentWithAnErrorNamingTheFile() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("big.bin"), 3 * 1024 * 1024, 41);
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("big.bin")).pieceLength(65536)
                .tracker(swarm.announceUrl()).build());
            final Swarm.Peer leech = swarm.leech(meta, small.resolve("dl"));
            // the space was there when the torrent started; now something else takes most of it
            TestData.file(small.resolve("filler.bin"), 2 * 1024 * 1024 + 512 * 1024, 42);
            swarm.seed(meta, seedDir);
            final String error = leech.torrent().failure().get(40, TimeUnit.SECONDS);
            assertTrue(error.contains("big.bin"), error);
            assertTrue(error.toLowerCase().contains("no space left"), error);
            assertTrue(leech.torrent().completion().isDone() == false, "never reported complete");
            // the engine is still up and accepting connections
            try (java.net.Socket s = new java.net.Socket())
            {
                s.connect(leech.address(), 2_000);
            }
        }
    }
}
