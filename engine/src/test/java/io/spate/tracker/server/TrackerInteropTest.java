package io.spate.tracker.server;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real clients swarm through a Spate tracker on loopback: over HTTP libtorrent seeds and aria2 leeches, then aria2
 * seeds and libtorrent leeches; over UDP (BEP 15) libtorrent to libtorrent. The downloaded bytes must be identical.
 * Peers learn of each other only from the tracker (no DHT, LSD, PEX). A missing client fails the test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TrackerInteropTest
{
    private static final String PYTHON = "/usr/bin/python3";
    private static final int SIZE = 6 * 1024 * 1024 + 12_345;
    private static final long CLIENT_TIMEOUT_S = 120;

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();
    private HttpTrackerServer tracker;
    private Path torrent;
    private byte[] infoHash;
    private byte[] sourceSha256;

    /** Starts the tracker and makes the torrent, announcing over {@code scheme} (http, or udp for BEP 15). */
    private void setUp(final String scheme) throws Exception
    {
        for (final String tool : new String[] {PYTHON, "/usr/bin/aria2c", "/usr/bin/mktorrent"})
        {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " is required (installed by .ci/run)");
        }
        assertTrue(Files.isRegularFile(script()), "missing " + script());
        tracker = new HttpTrackerServer(TrackerConfig.withInterval(30),
            List.of(new InetSocketAddress("127.0.0.1", 0))).start();

        final Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        final byte[] data = new byte[SIZE];
        new Random(2026).nextBytes(data);
        Files.write(seedDir.resolve("payload.bin"), data);
        sourceSha256 = MessageDigest.getInstance("SHA-256").digest(data);

        torrent = tmp.resolve("payload.torrent");
        final Process mk = new ProcessBuilder("/usr/bin/mktorrent", "-a",
            scheme + "://127.0.0.1:" + tracker.port() + "/announce", "-l", "18", "-o", torrent.toString(),
            seedDir.resolve("payload.bin").toString())
            .redirectErrorStream(true).redirectOutput(tmp.resolve("mktorrent.log").toFile()).start();
        started.add(mk);
        assertTrue(mk.waitFor(60, TimeUnit.SECONDS), "mktorrent timed out");
        assertEquals(0, mk.exitValue(), "mktorrent failed: " + Files.readString(tmp.resolve("mktorrent.log")));
        final byte[] raw = Files.readAllBytes(torrent);
        final BValue info = ((BValue.BDict)BencodeDecoder.decode(raw)).get("info");
        infoHash = MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOfRange(raw, info.start(),
            info.end()));
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        for (final Process p : started)
        {
            if (p.isAlive())
            {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS))
                {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        if (tracker != null)
        {
            tracker.close();
        }
    }

    @Test
    void libtorrentSeedsAria2Leeches() throws Exception
    {
        setUp("http");
        libtorrentSeeds();

        final Path leechDir = Files.createDirectories(tmp.resolve("aria2-leech"));
        final Process leech = start("aria2-leech", aria2(leechDir, freePort(), "--seed-time=0"));
        awaitExit(leech, "aria2-leech");
        assertDownloaded(leechDir);
        assertTrue(tracker.onRegistry(SwarmRegistry::announces) >= 2, "both clients announced");
    }

    @Test
    void aria2SeedsLibtorrentLeeches() throws Exception
    {
        setUp("http");
        final Process seed = start("aria2-seed", aria2(tmp.resolve("seed"), freePort(), "--check-integrity=true",
            "--bt-seed-unverified=false", "--seed-ratio=0.0"));
        awaitSeedOnTracker(seed, "aria2-seed");

        libtorrentLeechesToTheEnd();
    }

    /**
     * The UDP side (BEP 15) with real clients: two libtorrent sessions find each other through it alone. (aria2 1.36
     * speaks to UDP trackers only through its DHT socket, which these runs keep off.)
     */
    @Test
    void libtorrentSeedsLibtorrentLeechesOverUdp() throws Exception
    {
        setUp("udp");
        libtorrentSeeds();

        libtorrentLeechesToTheEnd();
    }

    private void libtorrentSeeds() throws Exception
    {
        final Process seed = start("lt-seed", PYTHON, script().toString(), "seed", "--torrent", torrent.toString(),
            "--dir", tmp.resolve("seed").toString(), "--port", String.valueOf(freePort()), "--timeout", "200");
        awaitSeedOnTracker(seed, "lt-seed");
    }

    private void libtorrentLeechesToTheEnd() throws Exception
    {
        final Path leechDir = Files.createDirectories(tmp.resolve("lt-leech"));
        final Process leech = start("lt-leech", PYTHON, script().toString(), "leech", "--torrent",
            torrent.toString(), "--dir", leechDir.toString(), "--port", String.valueOf(freePort()), "--timeout",
            String.valueOf(CLIENT_TIMEOUT_S));
        awaitExit(leech, "lt-leech");
        assertDownloaded(leechDir);
    }

    private List<String> aria2(final Path dir, final int port, final String... extra)
    {
        final List<String> cmd = new ArrayList<>(List.of("/usr/bin/aria2c", "--no-conf", "--interface=127.0.0.1",
            "--disable-ipv6", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
            "--enable-peer-exchange=false", "--file-allocation=none", "--listen-port=" + port,
            "--summary-interval=0", "--console-log-level=warn", "--bt-tracker-interval=2", "--dir=" + dir));
        cmd.addAll(List.of(extra));
        cmd.add(torrent.toString());
        return cmd;
    }

    private Process start(final String name, final String... command) throws IOException
    {
        return start(name, List.of(command));
    }

    private Process start(final String name, final List<String> command) throws IOException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        started.add(p);
        return p;
    }

    /** Waits until the tracker lists a seed for the torrent: the seed has checked its data and announced. */
    private void awaitSeedOnTracker(final Process seed, final String name) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final ScrapeStats stats = new ScrapeStats();
        while (System.nanoTime() < deadline)
        {
            final int seeds = tracker.onRegistry(r ->
            {
                r.scrape(infoHash, 0, System.currentTimeMillis(), stats);
                return stats.complete();
            });
            if (seeds >= 1)
            {
                return;
            }
            if (!seed.isAlive())
            {
                fail(name + " exited with " + seed.exitValue() + ": " + log(name));
            }
            Thread.sleep(100);
        }
        fail(name + " never announced as a seed: " + log(name));
    }

    private void awaitExit(final Process p, final String name) throws Exception
    {
        if (!p.waitFor(CLIENT_TIMEOUT_S, TimeUnit.SECONDS))
        {
            fail(name + " did not finish in " + CLIENT_TIMEOUT_S + " s: " + log(name));
        }
        assertEquals(0, p.exitValue(), name + " failed: " + log(name));
    }

    private void assertDownloaded(final Path dir) throws Exception
    {
        final byte[] got = Files.readAllBytes(dir.resolve("payload.bin"));
        assertEquals(SIZE, got.length);
        assertEquals(HexFormat.of().formatHex(sourceSha256),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got)), "downloaded bytes differ");
    }

    private String log(final String name) throws IOException
    {
        final String text = Files.readString(tmp.resolve(name + ".log"));
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private static Path script()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("tools/clients")))
        {
            dir = dir.getParent();
        }
        return (dir == null ? Path.of("tools/clients") : dir.resolve("tools/clients"))
            .resolve("lt_tracker_interop.py");
    }
}
