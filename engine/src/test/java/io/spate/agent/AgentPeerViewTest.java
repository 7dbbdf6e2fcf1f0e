package io.spate.agent;

import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the API reads of a running torrent through its {@link TorrentHandle}, on a harnessed agent with a fake clock:
 * the peer snapshot (taken by a command on the agent's thread) against a scripted seed, and sequential picking
 * switched on and off live.
 */
@Timeout(30)
final class AgentPeerViewTest
{
    private static final int PIECE_LENGTH = 32768;
    private static final int PIECES = 16;

    @TempDir
    Path tmp;
    private AgentHarness harness;
    private TorrentSession leech;
    private TorrentHandle handle;
    private DialledSeeds seeds;
    private final TorrentStats stats = new TorrentStats();

    @BeforeEach
    void leech() throws Exception
    {
        harness = new AgentHarness();
        final Metainfo torrent = AgentHarness.torrent(tmp.resolve("src/f.bin"), PIECES, PIECE_LENGTH, 11);
        leech = harness.add(torrent, tmp.resolve("dl"), stats);
        handle = new TorrentHandle(harness.agent, leech, stats, new CompletableFuture<>(), new CompletableFuture<>(),
            null, () -> { }, Runnable::run);
        seeds = new DialledSeeds(harness, leech, torrent, Files.readAllBytes(tmp.resolve("src/f.bin")));
    }

    @AfterEach
    void close() throws Exception
    {
        harness.close();
        seeds.close();
    }

    /** The snapshot the API would get: the command runs at the next duty cycle. */
    private List<PeerSnapshot> peers()
    {
        final CompletableFuture<List<PeerSnapshot>> peers = handle.peers();
        harness.pumpUntil(peers::isDone, "the peer snapshot");
        return peers.join();
    }

    /** The pieces of the agent's first requests, in the order it asked for them. */
    private static List<Integer> piecesAsked(final ScriptedPeer seed)
    {
        final List<Integer> pieces = new ArrayList<>();
        for (final int[] request : DialledSeeds.requests(seed))
        {
            if (!pieces.contains(request[0]))
            {
                pieces.add(request[0]);
            }
        }
        return pieces;
    }

    @Test
    void theSnapshotShowsTheSeedAsTheAgentSeesIt() throws Exception
    {
        try (ScriptedPeer seed = seeds.unchoking("seed"))
        {
            final List<int[]> requests = DialledSeeds.requests(seed);
            seeds.send(seed, requests.get(0), false);
            seeds.send(seed, requests.get(1), false);
            harness.pumpUntil(() -> peers().get(0).downloaded() == 2L * 16384, "two blocks received");
            harness.advanceSeconds(1); // the once-a-second rate sample
            final int askedSince = DialledSeeds.requests(seed).size(); // slow start asks more per block received

            final PeerSnapshot peer = peers().get(0);
            assertEquals("127.0.0.1", peer.address());
            assertEquals(seeds.address(0).getPort(), peer.port());
            assertTrue(peer.outgoing());
            assertEquals(PeerSource.MANUAL, peer.source(), "given to the agent by hand");
            assertEquals("SC 0.0.0.1", peer.client(), "no BEP 10 handshake: named from its peer id -SC0001-");
            assertEquals("active", peer.state());
            assertFalse(peer.peerChoking());
            assertTrue(peer.amInterested());
            assertTrue(peer.amChoking(), "it wants nothing of ours");
            assertFalse(peer.peerInterested());
            assertTrue(peer.seed());
            assertEquals(1.0, peer.progress());
            assertEquals(PIECES, peer.piecesHave());
            assertEquals(2L * 16384, peer.downloaded());
            assertEquals(0, peer.uploaded());
            assertTrue(peer.downloadRate() > 0, "sampled after the blocks came");
            assertEquals(requests.size() - 2 + askedSince, peer.requestsInFlight(), "requests not answered");
            assertFalse(peer.snubbed());
            assertFalse(peer.banned());
            assertEquals(-1, peer.superSeedPiece());

            harness.advanceSeconds(21);
            final PeerSnapshot quiet = peers().get(0);
            assertTrue(quiet.snubbed(), "no block for 20 s");
            assertEquals(1, quiet.requestsInFlight(), "a snubbing peer gets one request at a time");
        }
    }

    @Test
    void sequentialSetThroughTheHandlePicksTheLowestPiecesFirst() throws Exception
    {
        handle.sequential(true);
        harness.pump();
        try (ScriptedPeer seed = seeds.unchoking("seed"))
        {
            assertEquals(IntStream.range(0, 8).boxed().toList(), piecesAsked(seed),
                "16 requests of two blocks each: pieces 0 to 7, in order");
        }
    }

    @Test
    void rarestFirstIsTheDefaultAndSequentialOffRestoresIt() throws Exception
    {
        handle.sequential(true);
        handle.sequential(false);
        harness.pump();
        try (ScriptedPeer seed = seeds.unchoking("seed"))
        {
            final List<Integer> asked = piecesAsked(seed);
            assertEquals(8, asked.size());
            assertNotEquals(IntStream.range(0, 8).boxed().toList(), asked, "pieces of equal rarity in random order");
        }
        assertTrue(harness.errors.isEmpty(), () -> "agent errors: " + harness.errors);
    }
}
