package io.spate.system;

import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real processes, as a user runs them: {@code java -jar engine.jar} tracker, seed and three leechers on loopback.
 * Every leecher completes with identical bytes, and every process exits 0 on SIGTERM.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SwarmProcessesIT
{
    @TempDir
    Path tmp;

    @Test
    void trackerSeedAndThreeLeechersAllCompleteAndExitCleanly() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("video.bin"), 24L * 1024 * 1024 + 4321, 21);
        final int trackerPort = freePort();
        final String announce = "http://127.0.0.1:" + trackerPort + "/announce";

        final List<SpateProcess> all = new ArrayList<>();
        try
        {
            final SpateProcess create = SpateProcess.start(tmp, "create", "create", seedDir.resolve("video.bin")
                .toString(), "-o", tmp.resolve("video.torrent").toString(), "--tracker", announce);
            assertEquals(0, create.waitFor(60_000), create.stderrText());

            final SpateProcess tracker = SpateProcess.start(tmp, "tracker", "tracker", "--bind", "127.0.0.1",
                "--port", Integer.toString(trackerPort), "--interval", "2", "--json");
            all.add(tracker);
            tracker.await(l -> l.contains("\"started\""), 30_000);

            final SpateProcess seed = SpateProcess.start(tmp, "seed", "seed", "video.torrent", "--dir", "seed",
                "--bind", "127.0.0.1", "--port", "0", "--json");
            all.add(seed);
            seed.await(l -> l.contains("\"started\""), 60_000);

            final List<SpateProcess> leechers = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final SpateProcess leech = SpateProcess.start(tmp, "leech" + i, "leech", "video.torrent", "--dir",
                    "leech" + i, "--bind", "127.0.0.1", "--port", "0", "--json");
                leechers.add(leech);
                all.add(leech);
            }
            for (final SpateProcess leech : leechers)
            {
                final String complete = leech.await(l -> l.contains("\"complete\""), 120_000);
                final java.util.regex.Matcher cpu = java.util.regex.Pattern
                    .compile("\"cpu_seconds\":([0-9]+\\.[0-9]{3})[,}]").matcher(complete);
                assertTrue(cpu.find() && Double.parseDouble(cpu.group(1)) > 0,
                    "the complete event names the CPU the process used: " + complete);
            }
            final Map<String, String> expected = TestData.manifest(seedDir);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(expected, TestData.manifest(tmp.resolve("leech" + i)), "leech" + i);
            }
            for (final SpateProcess process : all)
            {
                assertEquals(0, process.terminate(30_000), "exit code on SIGTERM; stderr: " +
                    process.stderrText());
                assertTrue(process.lines().stream().anyMatch(l -> l.contains("\"stopped\"")),
                    "prints a stopped event: " + process.lines());
            }
            // each connection's payload, printed as it closes (peer_closed): a leecher's add up to the whole file
            long size = 0;
            try (var files = java.nio.file.Files.walk(seedDir))
            {
                for (final java.nio.file.Path f : (Iterable<java.nio.file.Path>)files.filter(
                    java.nio.file.Files::isRegularFile)::iterator)
                {
                    size += java.nio.file.Files.size(f);
                }
            }
            final java.util.regex.Pattern downloaded = java.util.regex.Pattern.compile(
                "\"event\":\"peer_closed\".*\"downloaded\":([0-9]+),");
            for (final SpateProcess leech : leechers)
            {
                long received = 0;
                for (final String line : leech.lines())
                {
                    final java.util.regex.Matcher m = downloaded.matcher(line);
                    received += m.find() ? Long.parseLong(m.group(1)) : 0;
                }
                assertTrue(received >= size, "peer_closed events account for " + received + " of " + size +
                    " bytes: " + leech.lines());
            }
        }
        finally
        {
            for (final SpateProcess process : all)
            {
                process.close();
            }
        }
    }

    /** A port free on TCP and on UDP a moment ago: the tracker serves both on one port. */
    static int freePort() throws Exception
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                java.net.DatagramSocket u = new java.net.DatagramSocket(s.getLocalPort(),
                    InetAddress.getLoopbackAddress()))
            {
                return s.getLocalPort();
            }
            catch (final java.net.BindException ex)
            {
                // taken on UDP: another
            }
        }
        throw new IllegalStateException("no port free on both TCP and UDP");
    }
}
