package io.spate.dht;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's "the tracker dies" with this build's engine.jar as real processes on 127.0.0.1 (the small version of
 * {@code tools/dht/tracker_dies.py}): a tracker, a seed limited to 1 MiB/s and 4 leechers, all on the DHT and
 * bootstrapped from the seed's node. The tracker is killed (SIGKILL) once every leecher's progress events say 30 %;
 * all 4 complete. A fifth leecher, started after the tracker died with a magnet link that names no tracker and only
 * {@code --dht-bootstrap}, finds the swarm through the DHT and completes. Every file has the source's SHA-256. The
 * waits are hang guards, not timed assertions: a loaded machine only makes it slower.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class TrackerDiesIT
{
    private static final Path JAR = Path.of("target", "engine.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_S = 180;
    private static final int LEECHERS = 4;

    @TempDir
    Path tmp;

    private final List<JarProcess> processes = new ArrayList<>();

    @AfterEach
    void endEveryProcess() throws InterruptedException
    {
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            processes.get(i).end();
        }
    }

    @Test
    void theSwarmOutlivesItsTrackerAndALateLeecherFindsItThroughTheDht() throws Exception
    {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: system tests run after `mvn package` (mvn verify)");
        final Path seedDir = tmp.resolve("seed");
        final Path source = TestData.file(seedDir.resolve("dies.bin"), 16 << 20, 15);
        final String sourceHash = TestData.sha256(source);

        final JarProcess tracker = start("tracker", "tracker", "--bind", "127.0.0.1", "--port", "0", "--interval",
            "15", "--json");
        final int trackerPort = tracker.await("started", WAIT_S).path("port").asInt();
        final Path torrent = tmp.resolve("dies.torrent");
        Files.write(torrent, TorrentBuilder.of(source).pieceLength(32 << 10)
            .tracker("http://127.0.0.1:" + trackerPort + "/announce").build());
        final Metainfo metainfo = Metainfo.load(torrent);

        final int dhtPort = freeUdpPort();
        final String bootstrap = "127.0.0.1:" + dhtPort;
        final JarProcess seed = start("seed", "seed", torrent.toString(), "--dir", seedDir.toString(), "--port", "0",
            "--bind", "127.0.0.1", "--dht-port", Integer.toString(dhtPort), "--max-upload-rate", "1M", "--json",
            "--progress-interval", "0.5");
        seed.await("started", WAIT_S);

        final List<JarProcess> leechers = new ArrayList<>();
        for (int i = 1; i <= LEECHERS; i++)
        {
            leechers.add(start("leech" + i, "leech", torrent.toString(), "--dir", tmp.resolve("leech" + i).toString(),
                "--port", "0", "--bind", "127.0.0.1", "--dht-port", "0", "--dht-bootstrap", bootstrap, "--json",
                "--progress-interval", "0.5"));
        }
        awaitAll(() -> leechers.stream().allMatch(p -> p.percent() >= 30), "every leecher at 30 %", leechers);
        final List<Double> atKill = leechers.stream().map(JarProcess::percent).toList();
        tracker.process.destroyForcibly(); // SIGKILL to its pid
        assertTrue(tracker.process.waitFor(30, TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", trackerPort).close(), "the tracker is dead");
        System.out.println("tracker killed with the leechers at " + atKill + " %");

        final JarProcess late = start("leech5", "leech", "magnet:?xt=urn:btih:" + metainfo.infoHashHex() +
            "&dn=dies.bin", "--dir", tmp.resolve("leech5").toString(), "--port", "0", "--bind", "127.0.0.1",
            "--dht-port", "0", "--dht-bootstrap", bootstrap, "--json", "--progress-interval", "0.5",
            "--exit-when-done");
        final List<JarProcess> everyone = new ArrayList<>(leechers);
        everyone.add(late);
        awaitAll(() -> everyone.stream().allMatch(p -> p.event("complete") != null), "every leecher complete",
            everyone);
        assertTrue(late.process.waitFor(WAIT_S, TimeUnit.SECONDS), "--exit-when-done");
        assertEquals(0, late.process.exitValue(), late.describe());
        for (final JarProcess leecher : everyone)
        {
            assertEquals(sourceHash, TestData.sha256(tmp.resolve(leecher.name).resolve("dies.bin")), leecher.name);
        }
        assertTrue(seed.process.isAlive() && leechers.stream().allMatch(p -> p.process.isAlive()),
            "the swarm ran on without its tracker");
    }

    private JarProcess start(final String name, final String... args) throws IOException
    {
        final JarProcess process = new JarProcess(name, tmp, args);
        processes.add(process);
        return process;
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    /** Waits for {@code condition}, failing with every process's state when one exits early or it never holds. */
    private void awaitAll(final BooleanSupplier condition, final String what, final List<JarProcess> watched)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!condition.getAsBoolean())
        {
            for (final JarProcess p : watched)
            {
                if (!p.process.isAlive() && p.event("complete") == null)
                {
                    throw new AssertionError(p.name + " exited before " + what + ": " + states());
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("no " + what + " after " + WAIT_S + " s: " + states());
            }
            Thread.sleep(100);
        }
    }

    private String states() throws IOException
    {
        final StringBuilder out = new StringBuilder();
        for (final JarProcess p : processes)
        {
            out.append('\n').append(p.describe());
        }
        return out.toString();
    }

    /** A {@code java -jar engine.jar ...} process whose stdout JSON events are collected as they come. */
    private static final class JarProcess
    {
        final String name;
        final Process process;
        private final Path stderr;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();

        JarProcess(final String name, final Path dir, final String... args) throws IOException
        {
            this.name = name;
            this.stderr = dir.resolve(name + ".stderr");
            final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-jar",
                JAR.toString()));
            command.addAll(List.of(args));
            this.process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = in.readLine()) != null)
                    {
                        if (line.startsWith("{"))
                        {
                            events.add(JSON.readTree(line));
                        }
                    }
                }
                catch (final IOException ignored)
                {
                    // the process ended
                }
            }, name + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode event(final String kind)
        {
            for (final JsonNode e : events)
            {
                if (kind.equals(e.path("event").asText()))
                {
                    return e;
                }
            }
            return null;
        }

        double percent()
        {
            if (event("complete") != null)
            {
                return 100;
            }
            double percent = 0;
            for (final JsonNode e : events)
            {
                if ("progress".equals(e.path("event").asText()))
                {
                    percent = e.path("percent").asDouble();
                }
            }
            return percent;
        }

        JsonNode await(final String kind, final long seconds) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (event(kind) == null)
            {
                if (!process.isAlive() || System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("no " + kind + " event: " + describe());
                }
                Thread.sleep(50);
            }
            return event(kind);
        }

        String describe()
        {
            String err;
            try
            {
                err = Files.exists(stderr) ? Files.readString(stderr) : "";
            }
            catch (final IOException ex)
            {
                err = ex.toString();
            }
            final List<JsonNode> last = events.size() <= 3 ? events : events.subList(events.size() - 3, events.size());
            return name + " (pid " + process.pid() + ", " + (process.isAlive() ? "running" : "exit " +
                process.exitValue()) + ", " + percent() + " %): last events " + last + "; stderr: " +
                (err.length() > 2000 ? err.substring(err.length() - 2000) : err);
        }

        /** SIGTERM to its pid, then SIGKILL if it has not exited in 20 s. */
        void end() throws InterruptedException
        {
            if (process.isAlive())
            {
                process.toHandle().destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
