package io.spate.agent;

import io.spate.choke.Choker;
import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.spate.agent.ScriptedPeer.HAVE;
import static io.spate.agent.ScriptedPeer.INTERESTED;
import static io.spate.agent.ScriptedPeer.PIECE;
import static io.spate.agent.ScriptedPeer.REJECT_REQUEST;
import static io.spate.agent.ScriptedPeer.REQUEST;
import static io.spate.agent.ScriptedPeer.UNCHOKE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a torrent shares, on a harnessed agent with a fake clock: super-seeding (BEP 16) and the free-rider. */
@Timeout(30)
final class AgentSharingPolicyTest
{
    private static final int HAVE_NONE = 0x0F;

    @TempDir
    Path tmp;
    private AgentHarness harness;
    private Metainfo torrent;
    private final TorrentStats stats = new TorrentStats();

    @BeforeEach
    void data() throws Exception
    {
        harness = new AgentHarness();
        torrent = AgentHarness.torrent(tmp.resolve("data/f.bin"), 8, 32768, 3);
    }

    @AfterEach
    void close()
    {
        harness.close();
    }

    private ScriptedPeer leecher(final String tag) throws Exception
    {
        final ScriptedPeer peer = ScriptedPeer.dial(harness);
        peer.handshake(torrent.infoHash(), tag, true, false);
        peer.readHandshake();
        return peer;
    }

    @Test
    void aSuperSeedOffersEachPeerOneDistinctPieceAndTheNextOnlyOnceItIsSeenElsewhere() throws Exception
    {
        harness.add(torrent, tmp.resolve("data"), stats,
            new SessionOptions(Choker.SeedChoking.FASTEST, 4, true, false, false));
        try (ScriptedPeer a = leecher("a"); ScriptedPeer b = leecher("b"))
        {
            assertEquals(HAVE_NONE, a.next().id(), "a super-seed poses as a peer with nothing");
            final int pieceA = a.next(HAVE).intAt(0);
            assertEquals(HAVE_NONE, b.next().id());
            final int pieceB = b.next(HAVE).intAt(0);
            assertNotEquals(pieceA, pieceB, "each is offered a piece never offered before");

            a.message(INTERESTED);
            a.next(UNCHOKE);
            a.message(REQUEST, (pieceA + 1) % 8, 0, 16384);
            ScriptedPeer.assertFrame(a.next(), REJECT_REQUEST, (pieceA + 1) % 8, 0, 16384);
            a.message(REQUEST, pieceA, 0, 16384);
            ScriptedPeer.assertFrame(a.next(PIECE), PIECE, pieceA, 0);

            a.message(HAVE, pieceA); // a has its piece: no new offer until another peer has it too
            assertTrue(a.drain().stream().noneMatch(f -> f.id() == HAVE));
            b.message(HAVE, pieceA); // b got it from a
            final List<ScriptedPeer.Frame> next = a.drain();
            assertTrue(next.stream().anyMatch(f -> f.id() == HAVE && f.intAt(0) != pieceA && f.intAt(0) != pieceB),
                "a is offered a third piece");
        }
    }

    @Test
    void aPeerThatSendsNoHaveForItsOfferedPieceStillGetsTheNextOnceAnotherHasIt() throws Exception
    {
        harness.add(torrent, tmp.resolve("data"), stats,
            new SessionOptions(Choker.SeedChoking.FASTEST, 4, true, false, false));
        try (ScriptedPeer a = leecher("a"); ScriptedPeer b = leecher("b"))
        {
            final int pieceA = a.next(HAVE).intAt(0);
            final int pieceB = b.next(HAVE).intAt(0);
            // a got its piece but, believing we have it, never says so (Spate's leechers send no redundant HAVE);
            // b got it from a and tells us
            b.message(HAVE, pieceA);
            final List<ScriptedPeer.Frame> next = a.drain();
            assertTrue(next.stream().anyMatch(f -> f.id() == HAVE && f.intAt(0) != pieceA && f.intAt(0) != pieceB),
                "a is offered a new piece: " + next);
        }
    }

    @Test
    void aPieceNobodyElseTakesDoesNotStallItsPeerPast30s() throws Exception
    {
        harness.add(torrent, tmp.resolve("data"), stats,
            new SessionOptions(Choker.SeedChoking.FASTEST, 4, true, false, false));
        try (ScriptedPeer alone = leecher("alone"))
        {
            final int first = alone.next(HAVE).intAt(0);
            alone.message(HAVE, first);
            harness.advanceSeconds(29);
            assertTrue(alone.drain().stream().noneMatch(f -> f.id() == HAVE));
            harness.advanceSeconds(3);
            assertNotEquals(first, alone.next(HAVE).intAt(0));
        }
    }

    @Test
    void aFreeRiderNeverUnchokesAnInterestedPeer() throws Exception
    {
        harness.add(torrent, tmp.resolve("data"), stats,
            new SessionOptions(Choker.SeedChoking.FASTEST, 4, false, true, false));
        try (ScriptedPeer peer = leecher("hopeful"))
        {
            peer.message(INTERESTED);
            harness.advanceSeconds(40); // rechokes and an optimistic round
            assertTrue(peer.drain().stream().noneMatch(f -> f.id() == UNCHOKE));
            peer.message(REQUEST, 0, 0, 16384);
            ScriptedPeer.assertFrame(peer.next(), REJECT_REQUEST, 0, 0, 16384);
            assertEquals(0, stats.uploadedBytes.get());
        }
    }

    @Test
    void aSeedRecordsWhatItHadUploadedWhenItsPeersFirstHoldEveryPiece() throws Exception
    {
        harness.add(torrent, tmp.resolve("data"), stats, SessionOptions.DEFAULTS);
        try (ScriptedPeer a = leecher("a"); ScriptedPeer b = leecher("b"))
        {
            a.message(HAVE_NONE);
            b.message(HAVE_NONE);
            a.message(INTERESTED);
            a.next(UNCHOKE);
            a.message(REQUEST, 0, 0, 16384);
            ScriptedPeer.assertFrame(a.next(PIECE), PIECE, 0, 0);
            for (int piece = 0; piece < 4; piece++)
            {
                a.message(HAVE, piece);
            }
            for (int piece = 3; piece < 7; piece++)
            {
                b.message(HAVE, piece); // 3 twice, 7 on nobody
            }
            harness.pumpUntil(() -> stats.uploadedBytes.get() == 16384, "the block counted as uploaded");
            a.drain();
            b.drain();
            assertEquals(-1, stats.uploadedForFirstCopy.get(), "piece 7 is on no peer yet");
            b.message(HAVE, 7);
            harness.pumpUntil(() -> stats.uploadedForFirstCopy.get() >= 0, "the first whole copy noticed");
            assertEquals(16384, stats.uploadedForFirstCopy.get());
        }
    }
}
