package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.cli.Main;
import io.spate.dht.Contact;
import io.spate.dht.DhtConfig;
import io.spate.dht.DhtNode;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon on the Mainline DHT (issue 15), on loopback with two plain {@link DhtNode}s as the rest of the DHT: two
 * daemons find each other for a torrent with no tracker and no peer given; a daemon keeps its node id and the nodes it
 * knew in the state dir and, restarted without any bootstrap node, rejoins through them; a corrupt nodes file is
 * reported (naming it) and ignored.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DaemonDhtTest
{
    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
    }

    /** Shorter query timeouts than the public DHT's (loopback answers in microseconds or not at all). */
    private static DhtConfig loopbackDht()
    {
        return new DhtConfig().bind(new InetSocketAddress("127.0.0.1", 0))
            .timeouts(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.MILLISECONDS.toNanos(800),
                TimeUnit.SECONDS.toNanos(2))
            .lookupTimeout(TimeUnit.SECONDS.toNanos(10));
    }

    private static String addressOf(final DhtNode node)
    {
        return "127.0.0.1:" + node.localAddress().getPort();
    }

    private DhtNode node(final DhtConfig config) throws Exception
    {
        final DhtNode node = DhtNode.start(config);
        open.add(node);
        return node;
    }

    private Daemon daemon(final Path state, final DhtConfig dht) throws Exception
    {
        final Daemon daemon = Daemon.start(new DaemonConfig(state, 0, InetAddress.getLoopbackAddress(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, 200, dht),
            message -> warnings.add(state.getFileName() + ": " + message));
        open.add(daemon);
        return daemon;
    }

    private static ManagedTorrent add(final Daemon daemon, final byte[] torrent, final Path dir) throws Exception
    {
        return daemon.add(new AddRequest(torrent, null, null, dir.toString(), false));
    }

    @Test
    void daemonsFindEachOtherThroughTheDhtAndOneRestartedWithoutBootstrapRejoinsThroughItsSavedNodes()
        throws Exception
    {
        final DhtNode a = node(loopbackDht());
        final DhtNode b = node(loopbackDht().bootstrap(addressOf(a)));
        assertTrue(TestDaemon.await(() -> a.routingTableSize() >= 1 && b.routingTableSize() >= 1, 30));

        // a torrent with no tracker: the DHT is the only way the two daemons can meet
        final Path seedData = tmp.resolve("seed-data");
        Files.createDirectories(seedData);
        TestData.file(seedData.resolve("dht.bin"), 3 << 20, 15);
        final byte[] torrent = TorrentBuilder.of(seedData.resolve("dht.bin")).pieceLength(64 << 10).build();
        final String infoHash = Metainfo.parse(torrent).infoHashHex();
        final byte[] privateTorrent = TorrentBuilder.of(seedData.resolve("dht.bin")).pieceLength(32 << 10)
            .privateFlag(true).build();

        final Path seedState = tmp.resolve("seed-state");
        Daemon seed = daemon(seedState, loopbackDht().bootstrap(addressOf(a)));
        final String seedId = seed.dht().id().toString();
        add(seed, torrent, seedData);
        final ManagedTorrent privateOne = add(seed, privateTorrent, seedData);
        final Daemon seedDaemon = seed;
        assertTrue(TestDaemon.await(() -> seedDaemon.get(infoHash).state() == ManagedTorrent.State.SEEDING, 60));
        assertTrue(TestDaemon.await(() -> privateOne.state() == ManagedTorrent.State.SEEDING, 60));
        assertNotNull(seed.get(infoHash).dhtPeers(), "a public torrent uses the DHT");
        assertNull(privateOne.dhtPeers(), "a private torrent never does (BEP 27)");

        final Path leechData = tmp.resolve("leech-data");
        final Daemon leech = daemon(tmp.resolve("leech-state"), loopbackDht().bootstrap(addressOf(b)));
        add(leech, torrent, leechData);
        assertTrue(TestDaemon.await(() -> leech.get(infoHash).state() == ManagedTorrent.State.SEEDING, 150),
            "the leeching daemon completes from peers it found through the DHT: " + leech.get(infoHash).state() +
                " " + leech.get(infoHash).verifiedBytes() + " bytes; warnings " + warnings);
        assertEquals(TestData.sha256(seedData.resolve("dht.bin")), TestData.sha256(leechData.resolve("dht.bin")));

        assertTrue(TestDaemon.await(() -> seedDaemon.dht().routingTableSize() >= 2, 30));
        seed.close();
        final DhtNodesFile.Saved saved = DhtNodesFile.decode(Files.readAllBytes(seedState.resolve("dht-nodes.json")));
        assertEquals(seedId, saved.id().toString(), "the node id is saved");
        final List<InetSocketAddress> savedAddresses = saved.nodes().stream().map(Contact::address).toList();
        assertTrue(savedAddresses.contains(a.localAddress()) && savedAddresses.contains(b.localAddress()),
            "the nodes that answered are saved: " + savedAddresses);

        // restarted with no bootstrap node at all: only what it saved
        seed = daemon(seedState, loopbackDht());
        assertEquals(seedId, seed.dht().id().toString(), "BEP 5: a node keeps its id");
        final Daemon restarted = seed;
        assertTrue(TestDaemon.await(() -> restarted.dht().routingTableSize() >= 1, 30), "rejoined");
        final byte[] other = new byte[20];
        new Random(7).nextBytes(other);
        b.announce(other, 40_007).get(30, TimeUnit.SECONDS);
        assertTrue(TestDaemon.await(() -> restarted.dht().getPeers(other).join()
            .contains(new InetSocketAddress("127.0.0.1", 40_007)), 60), "a lookup through the rejoined table");
        assertTrue(TestDaemon.await(() -> restarted.get(infoHash).state() == ManagedTorrent.State.SEEDING, 60));
        final byte[] hash = Metainfo.parse(torrent).infoHash();
        final InetSocketAddress restartedPeer = new InetSocketAddress("127.0.0.1",
            restarted.engine().listenAddress().getPort());
        assertTrue(TestDaemon.await(() -> b.getPeers(hash).join().contains(restartedPeer), 90),
            "the restored torrent announces itself again");

        try (io.spate.service.api.ApiServer api = new io.spate.service.api.ApiServer(restarted,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null).start())
        {
            final HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + api.address().getPort() + "/api/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
            final JsonNode dht = ServiceJson.MAPPER.readTree(stats.body()).path("dht");
            assertEquals(seedId, dht.path("id").asText(), stats.body());
            assertEquals(restarted.dht().localAddress().getPort(), dht.path("port").asInt(), stats.body());
            assertTrue(dht.path("nodes").asInt() >= 1, stats.body());
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aCorruptOrShortNodesFileIsReportedByNameAndIgnored() throws Exception
    {
        final DhtNode a = node(loopbackDht());
        final byte[] good = DhtNodesFile.encode(a.id(), List.of(new Contact(a.id(), a.localAddress())), 1);
        final List<byte[]> corrupt = List.of(
            new byte[0],
            java.util.Arrays.copyOf(good, good.length / 2),
            "{\"id\":\"not hex\",\"nodes\":[]}".getBytes(StandardCharsets.UTF_8),
            new String(good, StandardCharsets.UTF_8).replace("127.0.0.1", "localhost").getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 1, 2, (byte)0xFF});
        for (int i = 0; i < corrupt.size(); i++)
        {
            final Path state = tmp.resolve("state-" + i);
            Files.createDirectories(state);
            final Path file = state.resolve("dht-nodes.json");
            Files.write(file, corrupt.get(i));
            warnings.clear();
            final Daemon daemon = daemon(state, loopbackDht().bootstrap(addressOf(a)));
            assertEquals(1, warnings.size(), "case " + i + ": " + warnings);
            assertTrue(warnings.get(0).contains(file.toString()) && warnings.get(0).contains("ignored"),
                warnings.get(0));
            assertNotEquals(a.id(), daemon.dht().id(), "a new id, not one from the bad file");
            assertTrue(TestDaemon.await(() -> daemon.dht().routingTableSize() >= 1, 30),
                "the DHT still joins through --dht-bootstrap");
            daemon.close();
            final DhtNodesFile.Saved rewritten = DhtNodesFile.decode(Files.readAllBytes(file));
            assertEquals(daemon.dht().id(), rewritten.id(), "the shutdown replaces the bad file");
            assertEquals(List.of(a.localAddress()), rewritten.nodes().stream().map(Contact::address).toList());
        }
        System.out.println("warnings, e.g.: " + warnings);
    }

    @Test
    void theNodesFileRoundTripsAndRejectsWhatItNeverWrites() throws Exception
    {
        final Random random = new Random(3);
        final List<Contact> nodes = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            nodes.add(new Contact(io.spate.dht.NodeId.random(random), new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {10, 0, 0, (byte)(i + 1)}), 6881 + i)));
        }
        final io.spate.dht.NodeId id = io.spate.dht.NodeId.random(random);
        final DhtNodesFile.Saved back = DhtNodesFile.decode(DhtNodesFile.encode(id, nodes, 42));
        assertEquals(id, back.id());
        assertEquals(nodes, back.nodes());

        final List<String> bad = List.of("[]", "{}", "{\"id\":\"" + id + "\"}",
            "{\"id\":\"" + id + "\",\"nodes\":[{\"id\":\"" + id + "\",\"ip\":\"10.0.0.1\",\"port\":0}]}",
            "{\"id\":\"" + id + "\",\"nodes\":[{\"id\":\"" + id + "\",\"ip\":\"10.0.0.256\",\"port\":1}]}",
            "{\"id\":\"" + id + "\",\"nodes\":[{\"id\":\"" + id + "\",\"ip\":\"::1\",\"port\":1}]}",
            "{\"id\":\"" + id + "\",\"nodes\":[7]}");
        for (final String json : bad)
        {
            final List<String> problems = new ArrayList<>();
            final Path file = tmp.resolve("bad.json");
            Files.writeString(file, json);
            assertNull(DhtNodesFile.load(file, problems::add), json);
            assertEquals(1, problems.size(), json);
            assertTrue(problems.get(0).startsWith(file.toString()), problems.get(0));
        }
        assertNull(DhtNodesFile.load(tmp.resolve("absent.json"), message ->
        {
            throw new AssertionError("no file is no problem: " + message);
        }));
    }

    @Test
    void theDaemonCommandChecksItsDhtOptions()
    {
        final StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_USAGE, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "daemon",
            "--state", tmp.resolve("s").toString(), "--dht-bootstrap", "127.0.0.1:1"));
        assertTrue(err.toString().contains("--dht-bootstrap needs --dht-port"), err.toString());
        final StringWriter err2 = new StringWriter();
        assertEquals(Main.EXIT_USAGE, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err2), "daemon",
            "--state", tmp.resolve("s").toString(), "--dht-port", "0", "--dht-bootstrap", "nohost"));
        assertTrue(err2.toString().contains("--dht-bootstrap: expected HOST:PORT"), err2.toString());
    }
}
