package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.peer.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.spate.agent.ScriptedPeer.CHOKE;
import static io.spate.agent.ScriptedPeer.HAVE_ALL;
import static io.spate.agent.ScriptedPeer.INTERESTED;
import static io.spate.agent.ScriptedPeer.PIECE;
import static io.spate.agent.ScriptedPeer.REJECT_REQUEST;
import static io.spate.agent.ScriptedPeer.REQUEST;
import static io.spate.agent.ScriptedPeer.UNCHOKE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploading on a harnessed agent with a fake clock: admission of requests, serving blocks, choke rounds. */
@Timeout(30)
final class AgentUploadTest
{
    @TempDir
    Path tmp;
    private AgentHarness harness;
    private final TorrentStats stats = new TorrentStats();

    @AfterEach
    void close()
    {
        harness.close();
    }

    private Metainfo seed() throws Exception
    {
        harness = new AgentHarness();
        final Metainfo torrent = AgentHarness.torrent(tmp.resolve("data/f.bin"), 4, 32768, 7);
        harness.add(torrent, tmp.resolve("data"), stats);
        return torrent;
    }

    private ScriptedPeer joined(final Metainfo torrent, final String tag) throws Exception
    {
        final ScriptedPeer peer = ScriptedPeer.dial(harness);
        peer.handshake(torrent.infoHash(), tag, true, false);
        peer.readHandshake();
        peer.next(HAVE_ALL);
        return peer;
    }

    @Test
    void anInterestedPeerIsUnchokedAndGetsTheFileBytesItAsks() throws Exception
    {
        final Metainfo torrent = seed();
        try (ScriptedPeer peer = joined(torrent, "keen"))
        {
            peer.message(INTERESTED);
            peer.next(UNCHOKE);
            peer.message(REQUEST, 1, 16384, 16384);
            final ScriptedPeer.Frame piece = peer.next(PIECE);
            ScriptedPeer.assertFrame(piece, PIECE, 1, 16384);
            final byte[] file = Files.readAllBytes(tmp.resolve("data/f.bin"));
            assertArrayEquals(Arrays.copyOfRange(file, 32768 + 16384, 65536),
                Arrays.copyOfRange(piece.payload(), 8, piece.payload().length));
            assertEquals(16384, stats.uploadedBytes.get());
        }
    }

    @Test
    void aRequestWhileChokedIsRejectedUnderTheFastExtension() throws Exception
    {
        final Metainfo torrent = seed();
        try (ScriptedPeer peer = joined(torrent, "early"))
        {
            peer.message(REQUEST, 2, 0, 16384);
            ScriptedPeer.assertFrame(peer.next(), REJECT_REQUEST, 2, 0, 16384);
            assertEquals(0, stats.uploadedBytes.get());
        }
    }

    @Test
    void aRequestForAPieceWeLackClosesAndBansThePeer() throws Exception
    {
        harness = new AgentHarness();
        final Metainfo torrent = AgentHarness.torrent(tmp.resolve("src/f.bin"), 4, 32768, 7);
        final TorrentSession leech = harness.add(torrent, tmp.resolve("empty"), stats);
        try (ScriptedPeer peer = ScriptedPeer.dial(harness))
        {
            peer.handshake(torrent.infoHash(), "greedy", true, false);
            peer.readHandshake();
            peer.message(REQUEST, 0, 0, 16384);
            assertTrue(peer.awaitClosed());
            assertEquals(1, harness.closeCounters.get(CloseReason.REQUEST_FOR_MISSING_PIECE));
            assertEquals(1, stats.peersBanned.get());
            assertTrue(leech.isBanned(new InetSocketAddress(peer.localAddress().getAddress(),
                peer.localAddress().getPort())));
        }
    }

    @Test
    void ofSevenInterestedPeersFourRegularAndOneOptimisticAreUnchokedAndTheOptimisticMoves() throws Exception
    {
        final Metainfo torrent = seed();
        final List<ScriptedPeer> peers = new ArrayList<>();
        try
        {
            for (int i = 0; i < 7; i++)
            {
                final ScriptedPeer peer = joined(torrent, "p" + i);
                peer.message(INTERESTED);
                peers.add(peer);
            }
            harness.advanceSeconds(11); // a rechoke round
            final boolean[] unchoked = new boolean[peers.size()];
            final int first = countUnchoked(peers, unchoked);
            assertEquals(5, first, "4 regular slots + 1 optimistic");
            final boolean[] before = unchoked.clone();
            harness.advanceSeconds(31); // the optimistic slot moves every 30 s
            assertEquals(5, countUnchoked(peers, unchoked));
            assertTrue(!Arrays.equals(before, unchoked), "someone else got a turn");
        }
        finally
        {
            for (final ScriptedPeer peer : peers)
            {
                peer.close();
            }
        }
    }

    @Test
    void anUploadLimitHoldsBlocksBackAndReleasesThemAtItsRate() throws Exception
    {
        final Metainfo torrent = seed();
        harness.limits.upload().rate(32_768); // two blocks a second
        try (ScriptedPeer peer = joined(torrent, "patient"))
        {
            peer.message(INTERESTED);
            peer.next(UNCHOKE);
            for (int piece = 0; piece < 4; piece++)
            {
                peer.message(REQUEST, piece, 0, 16384);
                peer.message(REQUEST, piece, 16384, 16384);
            }
            assertEquals(1, countPieces(peer.drain()), "the first block only: a tenth of a second's worth, at least one");
            harness.advanceSeconds(3);
            final int after3s = countPieces(peer.drain());
            assertTrue(after3s >= 5 && after3s <= 7, "two a second: " + after3s);
            harness.advanceSeconds(2);
            assertEquals(8 - 1 - after3s, countPieces(peer.drain()), "the rest");
        }
    }

    @Test
    void aSlowUploadsSendBufferFollowsItsRateForAPeerOnALocalNetworkOnly() throws Exception
    {
        // loopback is not a local network (LocalNetwork): the kernel's autotuning stays
        final int[] notLocal = sendBufferBeforeAndAfterSlowUpload(false);
        assertEquals(notLocal[0], notLocal[1], "a peer not on a local network keeps its send buffer");
        harness.close();
        // the same peer counted as local: after three slow seconds its buffer is a tenth of a second of the rate,
        // floored at 32 KiB (65,536 B/s x 0.1 s is under the floor; Linux may report twice what was set)
        final int[] local = sendBufferBeforeAndAfterSlowUpload(true);
        final int floor = io.spate.peer.SendBufferSizer.MIN_BYTES;
        assertTrue(local[0] != local[1] && (local[1] == floor || local[1] == 2 * floor),
            "a local peer's send buffer, before and after: " + Arrays.toString(local));
    }

    /** Seeds 64 blocks at 65,536 B/s to one peer for 5 s; returns its socket's SO_SNDBUF before and after. */
    private int[] sendBufferBeforeAndAfterSlowUpload(final boolean loopbackIsLocal) throws Exception
    {
        io.spate.peer.LocalNetwork.treatLoopbackAsLocal(loopbackIsLocal);
        try
        {
            harness = new AgentHarness();
            final Metainfo torrent = AgentHarness.torrent(tmp.resolve("slow" + loopbackIsLocal + "/f.bin"), 32, 32768, 9);
            final TorrentSession session = harness.add(torrent, tmp.resolve("slow" + loopbackIsLocal), stats);
            harness.limits.upload().rate(65_536);
            try (ScriptedPeer peer = joined(torrent, "slow"))
            {
                peer.message(INTERESTED);
                peer.next(UNCHOKE);
                final java.nio.channels.SocketChannel ours = session.peers().get(0).channel();
                final int before = ours.getOption(java.net.StandardSocketOptions.SO_SNDBUF);
                for (int piece = 0; piece < 32; piece++)
                {
                    peer.message(REQUEST, piece, 0, 16384);
                    peer.message(REQUEST, piece, 16384, 16384);
                }
                for (int second = 0; second < 5; second++)
                {
                    harness.advanceSeconds(1);
                    assertTrue(countPieces(peer.drain()) > 0, "blocks go out every second");
                }
                return new int[] {before, ours.getOption(java.net.StandardSocketOptions.SO_SNDBUF)};
            }
        }
        finally
        {
            io.spate.peer.LocalNetwork.treatLoopbackAsLocal(false);
        }
    }

    private static int countPieces(final List<ScriptedPeer.Frame> frames)
    {
        return (int)frames.stream().filter(f -> f.id() == PIECE).count();
    }

    /** Applies each peer's CHOKE/UNCHOKE frames so far to {@code unchoked}; returns how many are unchoked. */
    private static int countUnchoked(final List<ScriptedPeer> peers, final boolean[] unchoked)
    {
        int n = 0;
        for (int i = 0; i < peers.size(); i++)
        {
            for (final ScriptedPeer.Frame frame : peers.get(i).drain())
            {
                if (frame.id() == UNCHOKE || frame.id() == CHOKE)
                {
                    unchoked[i] = frame.id() == UNCHOKE;
                }
            }
            n += unchoked[i] ? 1 : 0;
        }
        return n;
    }
}
