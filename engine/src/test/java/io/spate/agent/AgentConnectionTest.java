package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.peer.CloseReason;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.spate.agent.ScriptedPeer.BITFIELD;
import static io.spate.agent.ScriptedPeer.HAVE_ALL;
import static io.spate.agent.ScriptedPeer.INTERESTED;
import static io.spate.agent.ScriptedPeer.KEEP_ALIVE;
import static io.spate.agent.ScriptedPeer.PIECE;
import static io.spate.agent.ScriptedPeer.REQUEST;
import static io.spate.agent.ScriptedPeer.UNCHOKE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection's life on a harnessed agent with a fake clock: the handshake and the opening bitfield, refusals,
 * protocol violations, keep-alives and timeouts.
 */
@Timeout(30)
final class AgentConnectionTest
{
    @TempDir
    Path tmp;
    private AgentHarness harness;
    private Metainfo torrent;
    private final TorrentStats stats = new TorrentStats();

    @BeforeEach
    void seed() throws Exception
    {
        harness = new AgentHarness();
        torrent = AgentHarness.torrent(tmp.resolve("data/f.bin"), 4, 32768, 7);
        harness.add(torrent, tmp.resolve("data"), stats);
    }

    @AfterEach
    void close()
    {
        harness.close();
    }

    @Test
    void anIncomingPeerGetsOurHandshakeThenABitfieldOrHaveAllWithTheFastExtension() throws Exception
    {
        try (ScriptedPeer plain = ScriptedPeer.dial(harness); ScriptedPeer fast = ScriptedPeer.dial(harness))
        {
            plain.handshake(torrent.infoHash(), "plain", false, false);
            final byte[] ours = plain.readHandshake();
            assertArrayEquals(torrent.infoHash(), Arrays.copyOfRange(ours, 28, 48));
            assertArrayEquals(AgentHarness.OUR_PEER_ID, Arrays.copyOfRange(ours, 48, 68));
            final ScriptedPeer.Frame bitfield = plain.next();
            assertEquals(BITFIELD, bitfield.id());
            assertArrayEquals(new byte[] {(byte)0xF0}, bitfield.payload(), "all 4 pieces");

            fast.handshake(torrent.infoHash(), "fast", true, false);
            fast.readHandshake();
            assertEquals(HAVE_ALL, fast.next().id());
        }
    }

    @Test
    void aHandshakeNamingAnotherTorrentIsRefusedAndCounted() throws Exception
    {
        try (ScriptedPeer peer = ScriptedPeer.dial(harness))
        {
            final byte[] other = torrent.infoHash().clone();
            other[0] ^= 1;
            peer.handshake(other, "lost", true, true);
            assertTrue(peer.awaitClosed());
            assertEquals(1, harness.closeCounters.get(CloseReason.WRONG_INFO_HASH));
        }
    }

    @Test
    void aProtocolViolationClosesThatPeerOnlyAndTheOtherIsStillServed() throws Exception
    {
        try (ScriptedPeer hostile = ScriptedPeer.dial(harness); ScriptedPeer honest = ScriptedPeer.dial(harness))
        {
            hostile.handshake(torrent.infoHash(), "hostile", true, false);
            honest.handshake(torrent.infoHash(), "honest", true, false);
            hostile.readHandshake();
            honest.readHandshake();
            hostile.send(new byte[] {0x7F, 0, 0, 0, 7}); // a 2 GiB PIECE frame
            assertTrue(hostile.awaitClosed());
            assertEquals(1, stats.protocolViolations.get());
            assertEquals(1, harness.closeCounters.get(CloseReason.PROTOCOL_VIOLATION));

            honest.message(INTERESTED);
            honest.next(UNCHOKE);
            honest.message(REQUEST, 3, 16384, 16384);
            final ScriptedPeer.Frame piece = honest.next(PIECE);
            ScriptedPeer.assertFrame(piece, PIECE, 3, 16384);
        }
    }

    @Test
    void aSilentPeerGetsAKeepAliveAfter90sAndIsDroppedAfter3Minutes() throws Exception
    {
        try (ScriptedPeer peer = ScriptedPeer.dial(harness))
        {
            peer.handshake(torrent.infoHash(), "quiet", true, false);
            peer.readHandshake();
            peer.next(HAVE_ALL);
            harness.advanceSeconds(89);
            assertTrue(peer.drain().isEmpty(), "nothing before 90 s");
            harness.advanceSeconds(2);
            assertEquals(KEEP_ALIVE, peer.next().id());
            harness.advanceSeconds(90);
            assertTrue(peer.awaitClosed());
            assertEquals(1, harness.closeCounters.get(CloseReason.TIMEOUT));
        }
    }

    @Test
    void anAcceptedConnectionThatSendsNoHandshakeIsClosedAfter20s() throws Exception
    {
        try (ScriptedPeer peer = ScriptedPeer.dial(harness))
        {
            harness.advanceSeconds(19);
            assertTrue(peer.drain().isEmpty());
            assertEquals(0, harness.closeCounters.get(CloseReason.TIMEOUT));
            harness.advanceSeconds(3);
            assertTrue(peer.awaitClosed());
            assertEquals(1, harness.closeCounters.get(CloseReason.TIMEOUT));
        }
    }

    @Test
    void aPeerThatRefusedIsDialledAgainAfterABackOff() throws Exception
    {
        final TorrentSession leech = harness.add(Metainfo.parse(TorrentBuilder.of(tmp.resolve("data/f.bin"))
            .pieceLength(16384).build()), tmp.resolve("elsewhere"), new TorrentStats());
        final InetSocketAddress address;
        try (ServerSocketChannel probe = ServerSocketChannel.open())
        {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            address = (InetSocketAddress)probe.getLocalAddress();
        }
        harness.agent.addPeers(leech, List.of(address)); // nobody listens: refused
        harness.pumpUntil(() -> harness.closeCounters.get(CloseReason.CONNECT_FAILED) == 1, "the refusal");
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address);
            listener.configureBlocking(false);
            harness.advanceSeconds(14);
            assertNull(listener.accept(), "not before 15 s");
            harness.advanceSeconds(2);
            try (SocketChannel again = acceptWithin(listener))
            {
                assertTrue(again != null, "dialled again after the first back-off");
            }
        }
    }

    @Test
    void aPeerThatDialledUsIsNotDialledAgainAtTheListenAddressItGave() throws Exception
    {
        final Metainfo other = Metainfo.parse(TorrentBuilder.of(tmp.resolve("data/f.bin")).pieceLength(16384).build());
        final TorrentSession leech = harness.add(other, tmp.resolve("elsewhere"), new TorrentStats());
        try (ServerSocketChannel itsListener = loopbackListener(); ServerSocketChannel stranger = loopbackListener();
             ScriptedPeer peer = ScriptedPeer.dial(harness))
        {
            final InetSocketAddress itsAddress = (InetSocketAddress)itsListener.getLocalAddress();
            peer.handshake(other.infoHash(), "dialler", false, true);
            peer.readHandshake();
            final byte[] dict = new ExtensionHandshake(Map.of(), "scripted", itsAddress.getPort(), 0, 0, null).encode();
            peer.message(MessageType.EXTENDED, ByteBuffer.allocate(1 + dict.length).put((byte)0).put(dict).array());
            harness.pumpUntil(() -> leech.isConnectedTo(itsAddress), "its extension handshake");

            // a tracker hands back both: the stranger is dialled, the peer we have is not (dialled in queue order)
            harness.agent.addPeers(leech, List.of(itsAddress, (InetSocketAddress)stranger.getLocalAddress()));
            try (SocketChannel dialled = acceptWithin(stranger))
            {
                assertTrue(dialled != null);
            }
            assertNull(itsListener.accept(), "no second connection to a peer we are connected to");
            assertEquals(0, harness.closeCounters.get(CloseReason.DUPLICATE));
        }
    }

    private static ServerSocketChannel loopbackListener() throws java.io.IOException
    {
        final ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.configureBlocking(false);
        return listener;
    }

    private SocketChannel acceptWithin(final ServerSocketChannel listener)
    {
        final SocketChannel[] accepted = new SocketChannel[1];
        harness.pumpUntil(() ->
        {
            try
            {
                accepted[0] = listener.accept();
            }
            catch (final java.io.IOException ex)
            {
                throw new AssertionError(ex);
            }
            return accepted[0] != null;
        }, "the agent to dial again");
        return accepted[0];
    }
}
