package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.peer.CloseReason;
import io.spate.peer.LocalNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.spate.agent.ScriptedPeer.CANCEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloading on a harnessed agent with a fake clock: the agent dials scripted seeds and the test answers (or does
 * not answer) its requests: pipelining, snubbing, lost requests, endgame cancels, a piece that fails its hash.
 */
@Timeout(30)
final class AgentDownloadTest
{
    private static final int PIECE_LENGTH = 32768;
    private static final int PIECES = 16;
    private static final int BLOCK = 16384;

    @TempDir
    Path tmp;
    private AgentHarness harness;
    private Metainfo torrent;
    private TorrentSession leech;
    private byte[] content;
    private final TorrentStats stats = new TorrentStats();
    private DialledSeeds seeds;

    @BeforeEach
    void leech() throws Exception
    {
        harness = new AgentHarness();
        torrent = AgentHarness.torrent(tmp.resolve("src/f.bin"), PIECES, PIECE_LENGTH, 11);
        content = Files.readAllBytes(tmp.resolve("src/f.bin"));
        leech = harness.add(torrent, tmp.resolve("dl"), stats);
        seeds = new DialledSeeds(harness, leech, torrent, content);
    }

    @AfterEach
    void close() throws Exception
    {
        LocalNetwork.treatLoopbackAsLocal(false);
        harness.close();
        seeds.close();
    }

    private ScriptedPeer unchokingSeed(final String tag) throws Exception
    {
        return seeds.unchoking(tag);
    }

    private static List<int[]> requests(final ScriptedPeer peer)
    {
        return DialledSeeds.requests(peer);
    }

    /** Answers, unless the agent has closed the connection meanwhile (a banned peer's writes go nowhere). */
    private void answer(final ScriptedPeer seed, final int[] request, final boolean corrupt) throws Exception
    {
        try
        {
            send(seed, request, corrupt);
        }
        catch (final java.io.IOException closed)
        {
            assertTrue(seed.awaitClosed());
        }
    }

    private void send(final ScriptedPeer seed, final int[] request, final boolean corrupt) throws Exception
    {
        seeds.send(seed, request, corrupt);
    }

    @Test
    void anUnchokingSeedGetsSlowStartsSixteenDistinctRequestsAndTheAnswersReachTheDisk() throws Exception
    {
        try (ScriptedPeer seed = unchokingSeed("seed"))
        {
            final List<int[]> requests = requests(seed);
            assertEquals(16, requests.size(), "slow start begins 16 deep");
            final Set<String> distinct = new HashSet<>();
            requests.forEach(r -> distinct.add(r[0] + "/" + r[1]));
            assertEquals(16, distinct.size());
            for (final int[] request : requests)
            {
                answer(seed, request, false);
            }
            harness.pumpUntil(() -> stats.verifiedBytes.get() >= 8L * PIECE_LENGTH, "8 pieces verified");
            assertTrue(requests(seed).size() >= 16, "each block answered frees a slot, and slow start adds one");
        }
    }

    @Test
    void aSeedSilentFor20sIsSnubbedDownToOneRequestAfterItsLostRequestsWereAskedAgain() throws Exception
    {
        try (ScriptedPeer seed = unchokingSeed("mute"))
        {
            final List<int[]> first = requests(seed);
            assertEquals(16, first.size());
            harness.advanceSeconds(16);
            final List<int[]> again = requests(seed);
            assertEquals(16, again.size(), "requests unanswered for 15 s are asked again");
            final PeerConnectionView view = new PeerConnectionView(leech);
            assertFalse(view.snubbed());
            harness.advanceSeconds(5);
            assertTrue(view.snubbed(), "no block for 20 s");
            assertEquals(1, requests(seed).size(), "a snubbing peer gets one request at a time");
            assertEquals(1, view.inFlight());
        }
    }

    @Test
    void aRequestLostWhileThePeerAnswersOthersIsAskedAgain() throws Exception
    {
        try (ScriptedPeer seed = unchokingSeed("lossy"))
        {
            final List<int[]> requests = requests(seed);
            final int[] lost = requests.get(3);
            for (final int[] request : requests)
            {
                if (request != lost)
                {
                    answer(seed, request, false);
                }
            }
            requests(seed);
            harness.advanceSeconds(16);
            boolean askedAgain = false;
            for (final int[] request : requests(seed))
            {
                askedAgain |= Arrays.equals(request, lost);
            }
            assertTrue(askedAgain, "the lost request went back to the picker and out again");
            assertFalse(new PeerConnectionView(leech).snubbed());
        }
    }

    @Test
    void inEndgameASecondSeedGetsDuplicatesAndIsSentACancelWhenTheFirstAnswers() throws Exception
    {
        try (ScriptedPeer first = unchokingSeed("first"))
        {
            // take every block off the first seed's hands except what it holds at the end: answer until none missing
            // answer in order until one piece's worth is left outstanding with the first seed
            List<int[]> pending = requests(first);
            long answered = 0;
            for (int round = 0; round < 200 && answered < (long)(PIECES - 1) * PIECE_LENGTH; round++)
            {
                final List<int[]> next = new ArrayList<>();
                for (final int[] request : pending)
                {
                    if (answered + request[2] <= (long)(PIECES - 1) * PIECE_LENGTH)
                    {
                        answer(first, request, false);
                        answered += request[2];
                    }
                    else
                    {
                        next.add(request);
                    }
                }
                next.addAll(requests(first));
                pending = next;
            }
            assertTrue(!pending.isEmpty(), "the first seed holds the last blocks");
            final long received = answered;
            harness.pumpUntil(() -> stats.downloadedBytes.get() == received, "the answers to be read");
            try (ScriptedPeer second = unchokingSeed("second"))
            {
                final List<int[]> duplicates = requests(second);
                assertTrue(!duplicates.isEmpty(), "endgame: the idle seed gets the blocks stuck elsewhere");
                final int[] won = duplicates.get(0);
                answer(first, won, false);
                boolean cancelled = false;
                // bounded by real time: the block goes through the agent's read, the disk, and back (another thread)
                for (final long deadline = System.nanoTime() + 5 * AgentHarness.SECOND_NS;
                    !cancelled && System.nanoTime() < deadline;)
                {
                    for (final ScriptedPeer.Frame frame : second.drain())
                    {
                        cancelled |= frame.id() == CANCEL && frame.intAt(0) == won[0] && frame.intAt(4) == won[1];
                    }
                }
                assertTrue(cancelled, "the loser of the race is told to cancel");
            }
        }
    }

    @Test
    void anotherClientsQueueGivesNoRequestsUpItsAutotunedSocketMayHoldThemAlready() throws Exception
    {
        LocalNetwork.treatLoopbackAsLocal(true); // a local network: only the client decides here
        try (ScriptedPeer first = unchokingSeed("-LT2090-first"))
        {
            final List<int[]> held = requests(first);
            assertEquals(16, held.size(), "half of the 32 blocks: the rest unrequested, not endgame");
            final Set<Integer> heldPieces = new HashSet<>();
            held.forEach(r -> heldPieces.add(r[0]));
            try (ScriptedPeer second = seeds.unchokingWith("second", heldPieces))
            {
                assertEquals(List.of(), requests(second), "nothing moved from a libtorrent peer's queue");
                for (final ScriptedPeer.Frame frame : first.drain())
                {
                    assertTrue(frame.id() != CANCEL, "and nothing cancelled there");
                }
            }
        }
    }

    @Test
    void aPeerHoldingOnlyBlocksQueuedElsewhereTakesOverTheBackOfThatQueueAndTheFirstIsToldToCancel()
        throws Exception
    {
        // a Spate peer on a local network (loopback standing for one): its send buffer follows its rate, so its queue
        // may give requests up (LocalNetwork)
        LocalNetwork.treatLoopbackAsLocal(true);
        try (ScriptedPeer first = unchokingSeed("-SP0100-first"))
        {
            final List<int[]> held = requests(first);
            assertEquals(16, held.size(), "half of the 32 blocks: the rest unrequested, not endgame");
            final Set<String> heldBlocks = new HashSet<>();
            final Set<Integer> heldPieces = new HashSet<>();
            held.forEach(r -> heldBlocks.add(r[0] + "/" + r[1]));
            held.forEach(r -> heldPieces.add(r[0]));
            heldPieces.removeIf(p -> !heldBlocks.contains(p + "/0") || !heldBlocks.contains(p + "/" + BLOCK));
            assertEquals(8, heldPieces.size(), "slow start asks for whole pieces");
            try (ScriptedPeer second = seeds.unchokingWith("second", heldPieces))
            {
                final List<int[]> moved = requests(second);
                // the first keeps a lead of two over the taker: 16 - k >= k + 2
                assertEquals(7, moved.size(), "the back of the first's queue, not all of it");
                final Set<String> movedBlocks = new HashSet<>();
                for (final int[] request : moved)
                {
                    assertTrue(heldBlocks.contains(request[0] + "/" + request[1]), "only blocks asked of the first");
                    assertTrue(movedBlocks.add(request[0] + "/" + request[1]), "each once");
                }
                for (int i = 0; i < 7; i++)
                {
                    assertTrue(movedBlocks.contains(held.get(15 - i)[0] + "/" + held.get(15 - i)[1]),
                        "the requests the first would answer last");
                }
                final Set<String> cancelled = new HashSet<>();
                for (final long deadline = System.nanoTime() + 5 * AgentHarness.SECOND_NS;
                    cancelled.size() < 7 && System.nanoTime() < deadline;)
                {
                    for (final ScriptedPeer.Frame frame : first.drain())
                    {
                        if (frame.id() == CANCEL)
                        {
                            cancelled.add(frame.intAt(0) + "/" + frame.intAt(4));
                        }
                    }
                }
                assertEquals(movedBlocks, cancelled, "each moved request is cancelled at the first");
                // the first had already sent one: it arrives late and counts as waste, the second's copy as data
                final int[] late = moved.get(0);
                answer(first, late, false);
                answer(second, late, false);
                harness.pumpUntil(() -> stats.downloadedBytes.get() == late[2] && stats.wastedBytes.get() == late[2],
                    "one copy counted as data, the other as waste");
            }
        }
    }

    @Test
    void aPieceThatFailsItsHashBansItsOnlySenderAndComesWholeFromAnother() throws Exception
    {
        try (ScriptedPeer liar = unchokingSeed("liar"))
        {
            for (final int[] request : requests(liar))
            {
                answer(liar, request, true);
            }
            assertTrue(liar.awaitClosed());
            assertTrue(stats.hashFailures.get() >= 1);
            assertEquals(1, harness.closeCounters.get(CloseReason.SENT_BAD_DATA));
            harness.advanceSeconds(1);
            assertEquals(1, stats.peersBanned.get(), "one peer, counted once however many of its pieces failed");
            try (ScriptedPeer back = ScriptedPeer.dial(harness))
            {
                back.handshake(torrent.infoHash(), "liar", true, false); // from a new port: the id gives it away
                assertTrue(back.awaitClosed(), "a banned peer that dials in is refused");
                assertEquals(2, harness.closeCounters.get(CloseReason.SENT_BAD_DATA));
            }
            try (ScriptedPeer honest = unchokingSeed("honest"))
            {
                for (final long deadline = System.nanoTime() + 10 * AgentHarness.SECOND_NS;
                    stats.verifiedBytes.get() < content.length && System.nanoTime() < deadline;)
                {
                    for (final int[] request : requests(honest))
                    {
                        answer(honest, request, false);
                    }
                }
            }
            assertArrayEquals(content, Files.readAllBytes(tmp.resolve("dl/f.bin")));
        }
    }

    @Test
    void smartBanAPieceFromTwoSendersFailsThenPassesAndOnlyTheSenderOfTheBadBlockIsBanned() throws Exception
    {
        try (ScriptedPeer honest = unchokingSeed("honest"))
        {
            final List<int[]> asked = requests(honest);
            final int[] handedBack = asked.get(1); // the second block of the first piece asked
            honest.message(ScriptedPeer.REJECT_REQUEST, handedBack);
            try (ScriptedPeer corrupter = unchokingSeed("corrupter"))
            {
                final List<int[]> corrupterAsked = requests(corrupter);
                int[] bad = null;
                for (final int[] request : corrupterAsked)
                {
                    bad = Arrays.equals(request, handedBack) ? request : bad;
                }
                assertTrue(bad != null, "the rejected block went to the other seed");
                answer(corrupter, bad, true);
                answer(honest, asked.get(0), false); // the piece is whole: one good block, one bad
                harness.pumpUntil(() -> stats.hashFailures.get() == 1, "the piece to fail");
                assertEquals(0, stats.peersBanned.get(), "two senders: nobody is banned on the failure alone");
                assertEquals(2, leech.peers().size());
                for (final int[] request : asked.subList(2, asked.size()))
                {
                    answer(honest, request, false);
                }
                for (final int[] request : corrupterAsked)
                {
                    if (request != bad)
                    {
                        answer(corrupter, request, false);
                    }
                }
                // the piece comes again, good, from whoever is asked; the other pieces from the honest seed
                for (final long deadline = System.nanoTime() + 10 * AgentHarness.SECOND_NS;
                    stats.verifiedBytes.get() < content.length && System.nanoTime() < deadline;)
                {
                    for (final int[] request : requests(honest))
                    {
                        answer(honest, request, false);
                    }
                    if (leech.peers().size() == 2)
                    {
                        for (final int[] request : requests(corrupter))
                        {
                            answer(corrupter, request, false);
                        }
                    }
                }
                assertEquals(content.length, stats.verifiedBytes.get(), () -> "complete; peers " + leech.peers().size() +
                    " in flight " + leech.peers().stream().map(p -> p.requests().size() + "/" + p.amInterested() + "/" +
                    p.claims().choking()).toList() + " failures " + stats.hashFailures.get() + " banned " +
                    stats.peersBanned.get());
                assertTrue(corrupter.awaitClosed(), "banned once the good piece showed its block was bad");
                assertEquals(1, stats.peersBanned.get());
                assertEquals(1, harness.closeCounters.get(CloseReason.SENT_BAD_DATA));
                assertFalse(leech.isBanned(seeds.address(0)),
                    "the honest seed was never struck");
                assertEquals(1, harness.closeCounters.get(CloseReason.BOTH_SEEDS), "it left when we completed");
            }
            assertArrayEquals(content, Files.readAllBytes(tmp.resolve("dl/f.bin")));
        }
    }

    /** The agent's side of the only connection of the torrent. */
    private record PeerConnectionView(TorrentSession session)
    {
        boolean snubbed()
        {
            return session.peers().get(0).requests().snubbed();
        }

        int inFlight()
        {
            return session.peers().get(0).requests().size();
        }
    }
}
