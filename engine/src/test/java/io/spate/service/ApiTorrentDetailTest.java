package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.Context;
import io.spate.Engine;
import io.spate.agent.PeerSnapshot;
import io.spate.agent.PeerSource;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.dht.DhtConfig;
import io.spate.dht.DhtNode;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.service.api.ApiServer;
import io.spate.testing.TestData;
import io.spate.tracker.client.TorrentAnnouncer;
import io.spate.tracker.client.TrackerClient;
import io.spate.tracker.client.TrackerStatus;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.spate.service.ApiTorrentsTest.json;
import static io.spate.service.ApiTorrentsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A torrent's detail: its peers against a real seed (an engine found through a real tracker), its trackers (the real
 * one working, a dead one with its error), its DHT rounds and a forced re-announce that starts one, and sequential
 * mode set at add, toggled live and kept across a restart, with the bad requests each refused naming the field.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiTorrentDetailTest
{
    @TempDir
    Path tmp;

    private static int freePort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static JsonNode detail(final TestDaemon d, final String hash)
    {
        try
        {
            return json(d.get("/api/torrents/" + hash));
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void detailShowsTheSeedItDownloadsFromAndEachTrackerWithItsStatus() throws Exception
    {
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (HttpTrackerServer tracker = new HttpTrackerServer(TrackerConfig.withInterval(60),
            List.of(new InetSocketAddress("127.0.0.1", 0))).start();
            Engine seedEngine = Engine.launch(new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .threads(1).maxUploadRate(256 << 10)); // 2 MiB in about 8 s: the connection is seen mid-transfer
            TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final String dead = "http://127.0.0.1:" + freePort() + "/announce";
            final String live = "http://127.0.0.1:" + tracker.port() + "/announce";
            final Path src = tmp.resolve("src");
            TestData.file(src.resolve("a.bin"), 2 << 20, 7);
            final byte[] bytes = TorrentBuilder.of(src.resolve("a.bin")).pieceLength(64 << 10).tracker(dead)
                .tracker(live).build();
            final Metainfo meta = Metainfo.parse(bytes);
            final String hash = meta.infoHashHex();

            final TorrentHandle seed = seedEngine.addTorrent(meta, src, true, TorrentListener.NONE, null);
            final int seedPort = seedEngine.listenAddress().getPort();
            final TorrentAnnouncer seedAnnouncer = new TorrentAnnouncer(new TrackerClient(), seed,
                List.of(URI.create(live)), seedEngine.peerId(), seedPort, scheduler, warning -> { });
            seedAnnouncer.start();
            assertTrue(TestDaemon.await(() -> seedAnnouncer.statuses().of(URI.create(live)).state() ==
                TrackerStatus.State.WORKING, 20), "the seed is known to the tracker");

            ok(d.postTorrent("/api/torrents?dir=" + tmp.resolve("dl"), bytes), 201);
            assertTrue(TestDaemon.await(() -> detail(d, hash).path("peers").size() == 1 &&
                detail(d, hash).path("peers").get(0).path("downloaded").asLong() > 0, 30), () ->
                detail(d, hash).toString());
            final JsonNode node = detail(d, hash);
            final JsonNode peer = node.path("peers").get(0);
            assertEquals("127.0.0.1:" + seedPort, peer.path("address").asText());
            assertEquals("outgoing", peer.path("direction").asText());
            assertEquals("tracker", peer.path("source").asText());
            assertEquals("Spate 0.1", peer.path("client").asText(), "the v of its BEP 10 handshake");
            assertEquals("active", peer.path("state").asText());
            final JsonNode flags = peer.path("flags");
            assertTrue(flags.path("seed").asBoolean());
            assertFalse(flags.path("peer_choking").asBoolean(), "the seed unchoked us");
            assertTrue(flags.path("am_interested").asBoolean());
            assertTrue(flags.path("am_choking").asBoolean(), "we have nothing it wants");
            assertFalse(flags.path("snubbed").asBoolean());
            assertFalse(flags.path("banned").asBoolean());
            assertEquals(1.0, peer.path("progress").asDouble());
            assertEquals(meta.pieceCount(), peer.path("pieces").asInt());
            assertTrue(peer.path("downloaded").asLong() <= meta.totalLength());
            assertEquals(0, peer.path("uploaded").asLong());
            assertTrue(peer.path("requests_in_flight").asInt() >= 0);

            // the seed's side of the same connection, through the engine's own handle
            final List<PeerSnapshot> seedPeers = seed.peers().get(5, TimeUnit.SECONDS);
            assertEquals(1, seedPeers.size());
            assertFalse(seedPeers.get(0).outgoing());
            assertEquals(PeerSource.INCOMING, seedPeers.get(0).source());
            assertTrue(seedPeers.get(0).uploaded() > 0);
            assertTrue(seedPeers.get(0).peerInterested());
            assertFalse(seedPeers.get(0).amChoking());

            final JsonNode trackers = node.path("trackers");
            assertEquals(2, trackers.size());
            final JsonNode deadOne = trackers.get(0);
            assertEquals(dead, deadOne.path("url").asText());
            assertEquals(0, deadOne.path("tier").asInt());
            assertEquals("error", deadOne.path("status").asText());
            assertTrue(deadOne.path("last_error").asText().startsWith("connection refused"), deadOne.toString());
            assertTrue(deadOne.path("last_announce_ms").asLong() > 0);
            assertTrue(deadOne.path("seeders").isNull());
            final JsonNode liveOne = trackers.get(1);
            assertEquals(live, liveOne.path("url").asText());
            assertEquals(1, liveOne.path("tier").asInt());
            assertEquals("working", liveOne.path("status").asText());
            assertTrue(liveOne.path("working").asBoolean());
            assertEquals(1, liveOne.path("seeders").asInt(), liveOne.toString());
            assertEquals(1, liveOne.path("peers").asInt(), "the seed");
            assertFalse(liveOne.has("last_error"));
            final long lastAnnounce = liveOne.path("last_announce_ms").asLong();
            assertTrue(liveOne.path("next_announce_ms").asLong() > lastAnnounce);
            assertFalse(node.path("dht").path("enabled").asBoolean(), "this daemon is off the DHT");
            assertFalse(node.path("sequential").asBoolean());
            assertFalse(node.has("web_seeds") && node.path("web_seeds").size() > 0);

            // a forced re-announce asks the working tracker again at once (its interval is a minute)
            ok(d.send("POST", "/api/torrents/" + hash + "/reannounce", null, null), 200);
            assertTrue(TestDaemon.await(() -> detail(d, hash).path("trackers").get(1).path("last_announce_ms")
                .asLong() > lastAnnounce, 15));
            seedAnnouncer.close();
        }
        finally
        {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aPausedTorrentListsItsTrackersAsNotContactedAndNoPeers() throws Exception
    {
        try (TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final byte[] bytes = TestDaemon.torrentOf(tmp.resolve("data").resolve("p.bin"), 50_000, 3,
                "http://127.0.0.1:1/announce");
            final String hash = Metainfo.parse(bytes).infoHashHex();
            ok(d.postTorrent("/api/torrents?paused=true&dir=" + tmp.resolve("data"), bytes), 201);
            final JsonNode node = ok(d.get("/api/torrents/" + hash), 200);
            assertEquals("not contacted", node.path("trackers").get(0).path("status").asText());
            assertFalse(node.has("peers"), "not running: no connections to show");
            assertEquals(404, d.get("/api/torrents/" + "ab".repeat(20)).statusCode());
        }
    }

    @Test
    void sequentialIsSetAtAddToggledLiveAndKeptAcrossARestart() throws Exception
    {
        final Path state = tmp.resolve("state");
        final Path data = tmp.resolve("data");
        final Path file = tmp.resolve("s.torrent");
        Files.write(file, TestDaemon.torrentOf(data.resolve("s.bin"), 200_000, 4, null));
        final String hash = Metainfo.parse(Files.readAllBytes(file)).infoHashHex();
        final String path = "/api/torrents/" + hash + "/sequential";
        try (TestDaemon d = TestDaemon.start(state))
        {
            final JsonNode added = ok(d.postJson("/api/torrents", "{\"path\": \"" + file + "\", \"dir\": \"" + data +
                "\", \"sequential\": true}"), 201);
            assertTrue(added.path("sequential").asBoolean());
            assertTrue(ok(d.get("/api/torrents/" + hash), 200).path("sequential").asBoolean());
            assertTrue(Files.readString(state.resolve("torrents").resolve(hash + ".json")).contains(
                "\"sequential\":true"));

            assertFalse(ok(d.send("PUT", path, "application/json", "{\"sequential\": false}".getBytes()), 200)
                .path("sequential").asBoolean());
            assertFalse(ok(d.get("/api/torrents/" + hash), 200).path("sequential").asBoolean());
            assertTrue(ok(d.send("PUT", path, "application/json", "{\"sequential\": true}".getBytes()), 200)
                .path("sequential").asBoolean());

            assertRefused(d.send("PUT", path, "application/json", "{\"sequential\": \"yes\"}".getBytes()), 400,
                "sequential: must be true or false, got \"yes\"");
            assertRefused(d.send("PUT", path, "application/json", "{}".getBytes()), 400,
                "sequential: must be true or false, got nothing");
            assertRefused(d.send("PUT", path, "application/json", "{\"sequentail\": true}".getBytes()), 400,
                "sequentail: unknown field (known: sequential)");
            assertRefused(d.send("PUT", path, "text/plain", "on".getBytes()), 400,
                "Content-Type: must be application/json, got 'text/plain'");
            assertRefused(d.get(path), 405, "method GET is not allowed on " + path + " (allowed: PUT)");
            assertRefused(d.send("PUT", "/api/torrents/" + "cd".repeat(20) + "/sequential", "application/json",
                "{\"sequential\": true}".getBytes()), 404, "no torrent with info-hash " + "cd".repeat(20));
            assertRefused(d.send("PUT", "/api/torrents/xyz/sequential", "application/json",
                "{\"sequential\": true}".getBytes()), 400, "info-hash: must be 40 hex digits, got 'xyz'");
            assertRefused(d.postJson("/api/torrents", "{\"path\": \"" + file + "\", \"sequential\": 1}"), 400,
                "sequential: must be true or false, got 1");
            assertRefused(d.postTorrent("/api/torrents?sequential=maybe", Files.readAllBytes(file)), 400,
                "sequential: must be true or false, got 'maybe'");
        }
        try (TestDaemon d = TestDaemon.start(state))
        {
            assertTrue(ok(d.get("/api/torrents/" + hash), 200).path("sequential").asBoolean(), "kept in the state");
        }
    }

    private static void assertRefused(final java.net.http.HttpResponse<String> response, final int status,
        final String message) throws Exception
    {
        final JsonNode error = ok(response, status);
        assertEquals(message, error.path("error").asText());
    }

    @Test
    void aForcedReannounceStartsADhtRoundForATorrentWithNoTracker() throws Exception
    {
        try (DhtNode other = DhtNode.start(new DhtConfig().bind(new InetSocketAddress("127.0.0.1", 0))))
        {
            final DhtConfig dht = new DhtConfig().bind(new InetSocketAddress("127.0.0.1", 0))
                .timeouts(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.MILLISECONDS.toNanos(800),
                    TimeUnit.SECONDS.toNanos(2))
                .lookupTimeout(TimeUnit.SECONDS.toNanos(5))
                .bootstrap("127.0.0.1:" + other.localAddress().getPort());
            final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            try (Daemon daemon = Daemon.start(new DaemonConfig(tmp.resolve("state"), 0,
                InetAddress.getLoopbackAddress(), loopback, 1, 200, dht), warning -> { });
                ApiServer api = new ApiServer(daemon, loopback, null).start())
            {
                final byte[] bytes = TestDaemon.torrentOf(tmp.resolve("data").resolve("d.bin"), 50_000, 5, null);
                final ManagedTorrent torrent = daemon.add(new AddRequest(bytes, null, null,
                    tmp.resolve("data").toString(), false));
                assertTrue(TestDaemon.await(() -> torrent.dhtPeers() != null && torrent.dhtPeers().rounds() >= 1,
                    30), "the first round");
                final long rounds = torrent.dhtPeers().rounds();
                // the next round is 30 s away (nothing found): only the re-announce starts one within 15 s
                daemon.reannounce(torrent.infoHash());
                assertTrue(TestDaemon.await(() -> torrent.dhtPeers().rounds() > rounds, 15));
                final java.net.http.HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() +
                        "/api/torrents/" + torrent.infoHash())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
                final JsonNode node = ok(reply, 200).path("dht");
                assertTrue(node.path("enabled").asBoolean());
                assertTrue(node.path("rounds").asLong() > rounds);
                assertTrue(node.path("last_peers").asInt() <= 1, "nobody else has it: none, or our own announce");
                assertTrue(node.path("last_round_ms").asLong() > 0);
            }
        }
    }
}
