package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.FakePeer;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.Handshake;
import io.spate.wire.PexMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * BEP 11 peer exchange against a real Spate engine: it tells a peer of its other peers' listen addresses, dials
 * the contacts a peer tells it (but not a second message within the minute), and a private torrent exchanges none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerExchangeTest
{
    private static final int THEIR_PEX_ID = 5;

    @TempDir
    Path tmp;

    private Metainfo torrent(final boolean isPrivate) throws Exception
    {
        TestData.file(tmp.resolve("seed/data.bin"), 1024 * 1024, 3);
        return Metainfo.parse(TorrentBuilder.of(tmp.resolve("seed/data.bin")).pieceLength(16 * 1024)
            .privateFlag(isPrivate).build());
    }

    @Test
    void tellsAPeerOfTheOthersListenAddressesAndDialsWhatItIsTold() throws Exception
    {
        try (Swarm swarm = new Swarm();
            ServerSocket told = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            ServerSocket toldTooSoon = new ServerSocket(0, 4, InetAddress.getLoopbackAddress()))
        {
            final Metainfo meta = torrent(false);
            final Swarm.Peer seed = swarm.seed(meta, tmp.resolve("seed"));
            try (FakePeer a = connect(seed, meta, "a", Map.of(ExtensionHandshake.UT_PEX, THEIR_PEX_ID), 40001);
                FakePeer b = connect(seed, meta, "b", Map.of(), 40002))
            {
                final ExtensionHandshake theirs = ExtensionHandshake.decode(a.nextExtended(0));
                assertEquals(PexMessage.OUR_EXTENDED_ID, theirs.extensionId(ExtensionHandshake.UT_PEX));

                // within a few seconds the seed tells a of b, at the port b said it listens on, not b's own
                final byte[] pex = a.nextExtended(THEIR_PEX_ID);
                assertEquals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002)),
                    PexMessage.decodeAdded(pex, 0, pex.length));

                // a tells the seed of a peer: the seed dials it and greets it for this torrent
                sendPex(a, told.getLocalPort());
                told.setSoTimeout(10_000);
                try (Socket dialled = told.accept())
                {
                    final byte[] hs = new byte[Handshake.LENGTH];
                    new DataInputStream(dialled.getInputStream()).readFully(hs);
                    assertArrayEquals(meta.infoHash(), Arrays.copyOfRange(hs, Handshake.INFO_HASH_OFFSET,
                        Handshake.INFO_HASH_OFFSET + 20));
                }
                // a second message within the minute is ignored
                sendPex(a, toldTooSoon.getLocalPort());
                toldTooSoon.setSoTimeout(3_000);
                assertThrows(toldTooSoon);
            }
        }
    }

    @Test
    void aPrivateTorrentExchangesNoPeers() throws Exception
    {
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = torrent(true);
            final Swarm.Peer seed = swarm.seed(meta, tmp.resolve("seed"));
            try (FakePeer a = connect(seed, meta, "a", Map.of(ExtensionHandshake.UT_PEX, THEIR_PEX_ID), 40001))
            {
                final ExtensionHandshake theirs = ExtensionHandshake.decode(a.nextExtended(0));
                assertEquals(0, theirs.extensionId(ExtensionHandshake.UT_PEX));
                assertEquals(0, theirs.extensionId(ExtensionHandshake.UT_METADATA));
            }
        }
    }

    private static void assertThrows(final ServerSocket socket) throws IOException
    {
        try (Socket unexpected = socket.accept())
        {
            assertNull(unexpected, "dialled a contact from a second PEX message within the minute");
        }
        catch (final SocketTimeoutException expected)
        {
            assertFalse(socket.isClosed());
        }
    }

    private static FakePeer connect(final Swarm.Peer seed, final Metainfo meta, final String tag,
        final Map<String, Integer> extensions, final int listenPort) throws Exception
    {
        final FakePeer peer = FakePeer.connect(seed.address());
        final UnsafeBuffer hs = new UnsafeBuffer(new byte[Handshake.LENGTH]);
        Handshake.encode(hs, 0, meta.infoHash(), FakePeer.peerId(tag), false, true);
        peer.send(hs.byteArray());
        assertNotNull(peer.readHandshake());
        peer.sendExtended(0, new ExtensionHandshake(new HashMap<>(extensions), null, listenPort, -1, -1, null)
            .encode());
        return peer;
    }

    private static void sendPex(final FakePeer peer, final int port) throws IOException
    {
        final InetSocketAddress contact = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        peer.sendExtended(PexMessage.OUR_EXTENDED_ID, PexMessage.encode(List.of(contact), new byte[1], List.of()));
    }

}
