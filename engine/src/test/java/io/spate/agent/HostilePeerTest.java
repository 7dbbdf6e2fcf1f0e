package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.peer.CloseReason;
import io.spate.testing.FakePeer;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile peers are closed and counted, and the honest transfer completes with identical bytes regardless.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostilePeerTest
{
    @TempDir
    Path tmp;

    private Metainfo torrent(final Path file, final String announce) throws Exception
    {
        return Metainfo.parse(TorrentBuilder.of(file).pieceLength(32 * 1024).tracker(announce).build());
    }

    @Test
    void malformedAndMaliciousMessagesCloseOnlyThatPeer() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("data.bin"), 2 * 1024 * 1024 + 99, 11);
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(seedDir.resolve("data.bin"), swarm.announceUrl());
            final Swarm.Peer leech = swarm.leech(meta, tmp.resolve("leech"));
            final InetSocketAddress target = leech.address();
            final byte[] infoHash = meta.infoHash();

            // 1. a length prefix far beyond any message
            try (FakePeer p = FakePeer.connect(target))
            {
                p.send(FakePeer.handshake(infoHash, FakePeer.peerId("A"), false));
                p.readHandshake();
                p.send(FakePeer.ints(0x7fff_ffff));
                assertTrue(p.closedByPeerWithin(5_000), "oversized length prefix closes the peer");
            }
            // 2. an unknown message id
            try (FakePeer p = FakePeer.connect(target))
            {
                p.send(FakePeer.handshake(infoHash, FakePeer.peerId("B"), false));
                p.readHandshake();
                p.sendMessage(99, new byte[] {1, 2, 3});
                assertTrue(p.closedByPeerWithin(5_000), "unknown message id closes the peer");
            }
            // 3. a request for a piece the leecher does not have
            try (FakePeer p = FakePeer.connect(target))
            {
                p.send(FakePeer.handshake(infoHash, FakePeer.peerId("C"), false));
                p.readHandshake();
                p.sendMessage(2, new byte[0]); // interested
                p.sendMessage(6, FakePeer.ints(0, 0, 16 * 1024));
                assertTrue(p.closedByPeerWithin(5_000), "request for a missing piece closes the peer");
            }
            // 4. a handshake naming another torrent
            try (FakePeer p = FakePeer.connect(target))
            {
                final byte[] other = infoHash.clone();
                other[0] ^= 1;
                p.send(FakePeer.handshake(other, FakePeer.peerId("D"), false));
                assertTrue(p.closedByPeerWithin(5_000), "a foreign info-hash closes the peer");
            }
            final var counters = leech.engine().closeCounters();
            assertEquals(2, counters.get(CloseReason.PROTOCOL_VIOLATION), counters.snapshot().toString());
            assertEquals(1, counters.get(CloseReason.REQUEST_FOR_MISSING_PIECE), counters.snapshot().toString());
            assertEquals(1, counters.get(CloseReason.WRONG_INFO_HASH), counters.snapshot().toString());

            // the honest seed arrives afterwards and the leecher completes
            swarm.seed(meta, seedDir);
            leech.torrent().completion().get(60, TimeUnit.SECONDS);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve("leech")));
        }
    }

    @Test
    void peerSendingWrongDataIsBannedAndThePieceIsFetchedAgainElsewhere() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("data.bin"), 1024 * 1024, 12);
        try (Swarm swarm = new Swarm(); ServerSocket liar = new ServerSocket(0, 4, InetAddress.getLoopbackAddress()))
        {
            final Metainfo meta = torrent(seedDir.resolve("data.bin"), swarm.announceUrl());
            final Swarm.Peer leech = swarm.leech(meta, tmp.resolve("leech"));
            final Thread liarThread = new Thread(() -> serveGarbage(liar, meta), "lying-seed");
            liarThread.setDaemon(true);
            liarThread.start();
            leech.torrent().addPeers(List.of((InetSocketAddress)liar.getLocalSocketAddress()));

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (leech.torrent().stats().hashFailures.get() == 0)
            {
                assertTrue(System.nanoTime() < deadline, "the lying seed's piece never failed its hash check");
                Thread.sleep(10);
            }
            swarm.seed(meta, seedDir);
            leech.torrent().completion().get(60, TimeUnit.SECONDS);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve("leech")));
            assertTrue(leech.torrent().stats().peersBanned.get() >= 1, "the liar was banned");
            assertTrue(leech.engine().closeCounters().get(CloseReason.SENT_BAD_DATA) >= 1);
        }
    }

    /** A seed that claims every piece and answers every request with random bytes. */
    private static void serveGarbage(final ServerSocket server, final Metainfo meta)
    {
        try (Socket socket = server.accept(); FakePeer peer = FakePeer.wrap(socket))
        {
            peer.readHandshake();
            peer.send(FakePeer.handshake(meta.infoHash(), FakePeer.peerId("LIAR"), false));
            final byte[] bits = new byte[(meta.pieceCount() + 7) / 8];
            Arrays.fill(bits, (byte)0xff);
            final int spare = bits.length * 8 - meta.pieceCount();
            bits[bits.length - 1] = (byte)(0xff << spare);
            peer.sendMessage(5, bits);
            peer.sendMessage(1, new byte[0]); // unchoke
            final Random random = new Random(1);
            final byte[][] payload = new byte[1][];
            while (true)
            {
                final int id = peer.readMessage(payload);
                if (id == 6)
                {
                    final ByteBuffer req = ByteBuffer.wrap(payload[0]);
                    final int index = req.getInt();
                    final int begin = req.getInt();
                    final byte[] block = new byte[req.getInt()];
                    random.nextBytes(block);
                    peer.sendMessage(7, ByteBuffer.allocate(8 + block.length).putInt(index).putInt(begin)
                        .put(block).array());
                }
            }
        }
        catch (final Exception ignored)
        {
            // closed by the leecher: expected
        }
    }
}
