package io.spate.agent;

import static io.spate.agent.ScriptedPeer.HAVE_ALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.spate.dht.DhtConfig;
import io.spate.dht.DhtNode;
import io.spate.metainfo.Metainfo;
import io.spate.wire.Handshake;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** BEP 5's PORT message between a harnessed agent and real DHT nodes on loopback. */
@Timeout(30)
final class AgentDhtPortTest
{
    private static final int PORT = 9;

    @TempDir
    Path tmp;
    private AgentHarness harness;
    private Metainfo torrent;
    private DhtNode ours;
    private DhtNode theirs;

    @BeforeEach
    void start() throws Exception
    {
        harness = new AgentHarness();
        torrent = AgentHarness.torrent(tmp.resolve("data/f.bin"), 8, 32768, 3);
        harness.add(torrent, tmp.resolve("data"), new TorrentStats(), SessionOptions.DEFAULTS);
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        ours = DhtNode.start(new DhtConfig().bind(loopback));
        theirs = DhtNode.start(new DhtConfig().bind(loopback));
    }

    @AfterEach
    void close()
    {
        harness.close();
        ours.close();
        theirs.close();
    }

    private ScriptedPeer dhtPeer(final String tag) throws Exception
    {
        final ScriptedPeer peer = ScriptedPeer.dial(harness);
        peer.handshake(torrent.infoHash(), tag, true, false, true);
        final byte[] handshake = peer.readHandshake();
        assertEquals(harness.dht.port() > 0, Handshake.supportsDht(new UnsafeBuffer(handshake), 0),
            "the DHT bit is set exactly when a node is attached");
        return peer;
    }

    @Test
    void withANodeAttachedThePeerHearsOurPortAfterOurPiecesAndItsPortIsPinged() throws Exception
    {
        harness.dht.attach(ours);
        try (ScriptedPeer peer = dhtPeer("a"))
        {
            assertEquals(HAVE_ALL, peer.next().id(), "BEP 6: the pieces first");
            final ScriptedPeer.Frame port = peer.next(PORT);
            assertEquals(ours.localAddress().getPort(), ByteBuffer.wrap(port.payload()).getShort() & 0xFFFF);

            assertEquals(0, ours.routingTableSize());
            final byte[] portMessage = ByteBuffer.allocate(2).putShort((short)theirs.localAddress().getPort()).array();
            peer.message(PORT, portMessage);
            harness.pumpUntil(() -> ours.routingTableSize() == 1, "the peer's node pinged and in our table");
            peer.message(PORT, ByteBuffer.allocate(2).putShort((short)1).array()); // a second PORT: ignored
            harness.pump();
            final List<InetSocketAddress> known = ours.nodes().get().stream().map(c -> c.address()).toList();
            assertEquals(List.of(theirs.localAddress()), known);
        }
    }

    @Test
    void withoutANodeNoDhtBitAndNoPortIsSent() throws Exception
    {
        try (ScriptedPeer peer = dhtPeer("b"))
        {
            peer.message(PORT, ByteBuffer.allocate(2).putShort((short)theirs.localAddress().getPort()).array());
            harness.advanceSeconds(2);
            assertFalse(peer.drain().stream().anyMatch(f -> f.id() == PORT), "no PORT without a node");
        }
    }
}
