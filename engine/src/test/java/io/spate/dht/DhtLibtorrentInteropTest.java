package io.spate.dht;

import io.spate.testing.ThirdPartyClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interop with the real libtorrent's DHT (python3-libtorrent, {@code tools/clients/lt_dht.py}) on 127.0.0.1: four
 * Spate nodes and one libtorrent session, each side bootstrapped from the other. A Spate node finds the peer
 * libtorrent announced, and libtorrent finds the peer a Spate node announced. Fails (never skips) when libtorrent is
 * missing.
 */
class DhtLibtorrentInteropTest
{
    private final List<DhtNode> nodes = new ArrayList<>();
    private Process libtorrent;

    @AfterEach
    void close() throws Exception
    {
        if (libtorrent != null)
        {
            libtorrent.destroy();
            if (!libtorrent.waitFor(10, TimeUnit.SECONDS))
            {
                libtorrent.destroyForcibly();
            }
        }
        nodes.forEach(DhtNode::close);
    }

    @Test
    @Timeout(120)
    void eachSideFindsThePeerTheOtherAnnounced() throws Exception
    {
        // kept under target/ for post-mortems: libtorrent's DHT log is its stderr
        final Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "dht-interop")), "lt-");
        DhtSwarmTest.swarm(4, nodes);
        final Random random = new Random(27);
        final byte[] libtorrentHash = new byte[20];
        final byte[] spateHash = new byte[20];
        random.nextBytes(libtorrentHash);
        random.nextBytes(spateHash);
        final int ltPort = freeUdpAndTcpPort();
        final Path stderr = work.resolve("lt_dht.stderr");
        final List<String> lines = new CopyOnWriteArrayList<>();
        libtorrent = new ProcessBuilder(ThirdPartyClient.PYTHON, script().toString(), "--port",
            Integer.toString(ltPort), "--bootstrap", "127.0.0.1:" + nodes.get(0).localAddress().getPort(),
            "--announce", HexFormat.of().formatHex(libtorrentHash), "--save-path", work.toString(),
            "--find", HexFormat.of().formatHex(spateHash), "--timeout", "100")
            .redirectError(stderr.toFile()).start();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(libtorrent.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final Exception ignored)
            {
                // the process ended
            }
        }, "lt-dht-stdout");
        reader.setDaemon(true);
        reader.start();
        nodes.get(1).addNode(new InetSocketAddress("127.0.0.1", ltPort));

        final InetSocketAddress spatePeer = new InetSocketAddress("127.0.0.1", 7002);
        // libtorrent announces a torrent with its listen port
        final InetSocketAddress ltPeer = new InetSocketAddress("127.0.0.1", ltPort);
        boolean spateFound = false;
        boolean libtorrentFound = false;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(spateFound && libtorrentFound) && System.nanoTime() < deadline)
        {
            if (!libtorrent.isAlive() && !lines.contains("{\"event\": \"stopped\"}"))
            {
                fail("lt_dht.py ended (libtorrent missing?): exit " + libtorrent.exitValue() + ", stdout " + lines +
                    ", stderr " + tail(stderr));
            }
            nodes.get(2).announce(spateHash, 7002).get(15, TimeUnit.SECONDS);
            spateFound |= nodes.get(3).getPeers(libtorrentHash).get(15, TimeUnit.SECONDS).contains(ltPeer);
            libtorrentFound |= lines.stream().anyMatch(l -> l.contains("\"peers\"") &&
                l.contains(HexFormat.of().formatHex(spateHash)) && l.contains("127.0.0.1:7002"));
            Thread.sleep(500);
        }
        final StringBuilder counters = new StringBuilder();
        nodes.forEach(n -> counters.append(n.counters()).append('\n'));
        assertTrue(spateFound, "Spate did not find libtorrent's peer " + ltPeer + "; libtorrent said " + lines +
            "\nspate counters:\n" + counters + "stderr: " + tail(stderr));
        assertTrue(libtorrentFound, "libtorrent did not find Spate's peer " + spatePeer + "; libtorrent said " +
            lines + "\nspate counters:\n" + counters + "stderr: " + tail(stderr));
        long stored = 0;
        for (final DhtNode node : nodes)
        {
            stored += node.counters().get(DhtCounter.PEERS_STORED);
        }
        assertTrue(stored > 0, "no announce_peer was stored by Spate: " + counters);
    }

    private static Path script()
    {
        return ThirdPartyClient.clientScript().resolveSibling("lt_dht.py");
    }

    private static int freeUdpAndTcpPort() throws Exception
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final int port = ThirdPartyClient.freePort();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port)))
            {
                return udp.getLocalPort();
            }
            catch (final java.net.SocketException taken)
            {
                // taken on UDP: try another
            }
        }
        throw new IllegalStateException("no port free on both TCP and UDP");
    }

    private static String tail(final Path file)
    {
        try
        {
            final List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        }
        catch (final Exception e)
        {
            return "(no stderr: " + e + ")";
        }
    }
}
