package io.spate.magnet;

import io.spate.cli.CliRun;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.FakePeer;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import io.spate.wire.ExtensionHandshake;
import io.spate.wire.Handshake;
import io.spate.wire.MessageEncoder;
import io.spate.wire.MetadataMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Magnet links end to end in one JVM: a Spate seed serves its info dictionary (BEP 9) in several pieces, a lying
 * peer fails alone, a private torrent offers none, and {@code leech MAGNET} downloads byte-identical files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MagnetTest
{
    @TempDir
    Path tmp;

    /** 24 MiB in 16 KiB pieces: 1,536 piece hashes, an info dictionary of two metadata pieces, the last short. */
    private Metainfo twoPieceMetadataTorrent(final Path seedDir, final String announce, final boolean isPrivate)
        throws Exception
    {
        TestData.file(seedDir.resolve("album/track-1.bin"), 16 * 1024 * 1024, 7);
        TestData.file(seedDir.resolve("album/cover.bin"), 8 * 1024 * 1024 - 999, 8);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("album")).pieceLength(16 * 1024)
            .tracker(announce).privateFlag(isPrivate).build());
        assertEquals(2, MetadataMessage.pieceCount(meta.rawInfo().length), "the test needs two metadata pieces");
        return meta;
    }

    @Test
    void fetchesTheInfoDictionaryFromASpateSeedInSeveralPieces() throws Exception
    {
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = twoPieceMetadataTorrent(tmp.resolve("seed"), swarm.announceUrl(), false);
            final Swarm.Peer seed = swarm.seed(meta, tmp.resolve("seed"));
            final byte[] info = new MetadataFetcher(meta.infoHash(), peerId(), 5_000)
                .fetch(List.of(seed.address()), 20_000);
            assertArrayEquals(meta.rawInfo(), info);
        }
    }

    @Test
    void aPeerThatSendsWrongMetadataFailsAloneAndTheHonestSeedIsUsed() throws Exception
    {
        try (Swarm swarm = new Swarm(); LyingPeer liar = new LyingPeer())
        {
            final Metainfo meta = twoPieceMetadataTorrent(tmp.resolve("seed"), swarm.announceUrl(), false);
            liar.start(meta.infoHash(), meta.rawInfo().length);
            final IOException alone = assertThrows(IOException.class, () ->
                new MetadataFetcher(meta.infoHash(), peerId(), 5_000).fetch(List.of(liar.address()), 20_000));
            assertTrue(alone.getMessage().contains("whose SHA-1 is not the info-hash"), alone.getMessage());

            final Swarm.Peer seed = swarm.seed(meta, tmp.resolve("seed"));
            final byte[] info = new MetadataFetcher(meta.infoHash(), peerId(), 5_000)
                .fetch(List.of(liar.address(), seed.address()), 20_000);
            assertArrayEquals(meta.rawInfo(), info);
        }
    }

    @Test
    void aPrivateTorrentOffersNoMetadata() throws Exception
    {
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = twoPieceMetadataTorrent(tmp.resolve("seed"), swarm.announceUrl(), true);
            final Swarm.Peer seed = swarm.seed(meta, tmp.resolve("seed"));
            final IOException ex = assertThrows(IOException.class, () ->
                new MetadataFetcher(meta.infoHash(), peerId(), 5_000).fetch(List.of(seed.address()), 20_000));
            assertTrue(ex.getMessage().contains("does not offer ut_metadata"), ex.getMessage());
        }
    }

    @Test
    void leechFromAMagnetLinkThroughTheTracker() throws Exception
    {
        try (Swarm swarm = new Swarm())
        {
            final Path seedDir = tmp.resolve("seed");
            final Metainfo meta = twoPieceMetadataTorrent(seedDir, swarm.announceUrl(), false);
            swarm.seed(meta, seedDir);
            // the link as `info` prints it
            final Path torrentFile = java.nio.file.Files.write(tmp.resolve("album.torrent"),
                TorrentBuilder.of(seedDir.resolve("album")).pieceLength(16 * 1024).tracker(swarm.announceUrl())
                    .build());
            final CliRun info = CliRun.of("info", torrentFile.toString(), "--json");
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"magnet\":\"([^\"]+)\"")
                .matcher(info.out());
            assertTrue(m.find(), info::toString);
            final String magnet = m.group(1);
            assertEquals("magnet:?xt=urn:btih:" + meta.infoHashHex() + "&dn=album&tr=" +
                URLEncoder.encode(swarm.announceUrl(), StandardCharsets.UTF_8), magnet);
            final CliRun run = CliRun.of("leech", magnet, "--dir", tmp.resolve("got").toString(), "--port", "0",
                "--bind", "127.0.0.1", "--exit-when-done", "--json");
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("\"event\":\"complete\""), run::toString);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve("got")));
        }
    }

    @Test
    void badMagnetLinksAreUsageErrorsAndMissingMetadataARuntimeErrorNamingIt() throws Exception
    {
        final String dir = tmp.resolve("d").toString();
        final CliRun bad = CliRun.of("leech", "magnet:?xt=urn:btih:1234", "--dir", dir);
        assertEquals(2, bad.exit(), bad::toString);
        assertEquals("usage error: TORRENT: bad magnet link: xt: info-hash must be 40 hex or 32 base32 characters, " +
            "got 4: 1234", bad.err().lines().findFirst().orElse(""), bad::toString);

        final String hash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
        final CliRun nowhere = CliRun.of("leech", "magnet:?xt=urn:btih:" + hash, "--dir", dir, "--port", "0");
        assertEquals(2, nowhere.exit(), nowhere::toString);
        assertTrue(nowhere.err().contains("names no tracker and no x.pe peer"), nowhere::toString);

        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final CliRun timeout = CliRun.of("leech", "magnet:?xt=urn:btih:" + hash + "&x.pe=127.0.0.1:" +
                silent.getLocalPort(), "--dir", dir, "--port", "0", "--bind", "127.0.0.1", "--metadata-timeout", "2");
            assertEquals(1, timeout.exit(), timeout::toString);
            assertTrue(timeout.err().contains("error: magnet " + hash + ": no metadata after 2 s"), timeout::toString);
        }
    }

    @Test
    void aSpateSeedRejectsOutOfRangeAndFloodingRequestsIgnoresMalformedOnesAndServesOthers() throws Exception
    {
        try (Swarm swarm = new Swarm())
        {
            final Metainfo meta = twoPieceMetadataTorrent(tmp.resolve("seed"), swarm.announceUrl(), false);
            final Swarm.Peer seed = swarm.seed(meta, tmp.resolve("seed"));
            try (FakePeer peer = FakePeer.connect(seed.address()))
            {
                final UnsafeBuffer hs = new UnsafeBuffer(new byte[Handshake.LENGTH]);
                Handshake.encode(hs, 0, meta.infoHash(), FakePeer.peerId("meta"), false, true);
                peer.send(hs.byteArray());
                peer.readHandshake();
                final int ourId = 9;
                peer.sendExtended(0, new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, ourId), null, -1,
                    -1, -1, null).encode());
                final ExtensionHandshake theirs = ExtensionHandshake.decode(peer.nextExtended(0));
                assertEquals(MetadataMessage.OUR_EXTENDED_ID, theirs.extensionId(ExtensionHandshake.UT_METADATA));
                assertEquals(meta.rawInfo().length, theirs.metadataSize());

                peer.sendExtended(MetadataMessage.OUR_EXTENDED_ID, "d8:msg_typei0e5:pie".getBytes(
                    StandardCharsets.US_ASCII)); // malformed: ignored, no reply
                peer.sendExtended(MetadataMessage.OUR_EXTENDED_ID, MetadataMessage.request(99));
                assertEquals(new MetadataMessage(MetadataMessage.REJECT, 99, -1, 0, 0), reply(peer, ourId));
                for (int i = 0; i < 8; i++)
                {
                    peer.sendExtended(MetadataMessage.OUR_EXTENDED_ID, MetadataMessage.request(i % 2));
                    final MetadataMessage data = reply(peer, ourId);
                    assertEquals(MetadataMessage.DATA, data.type(), "request " + i);
                    assertEquals(i % 2, data.piece());
                    assertEquals(meta.rawInfo().length, data.totalSize());
                }
                peer.sendExtended(MetadataMessage.OUR_EXTENDED_ID, MetadataMessage.request(0));
                assertEquals(MetadataMessage.REJECT, reply(peer, ourId).type(), "past 4 requests per piece");
            }
            assertArrayEquals(meta.rawInfo(), new MetadataFetcher(meta.infoHash(), peerId(), 5_000)
                .fetch(List.of(seed.address()), 20_000), "other peers are still served");
        }
    }

    private static MetadataMessage reply(final FakePeer peer, final int extendedId) throws IOException
    {
        final byte[] payload = peer.nextExtended(extendedId);
        final MetadataMessage m = MetadataMessage.decode(payload, 0, payload.length);
        return m.type() == MetadataMessage.REJECT ? new MetadataMessage(m.type(), m.piece(), m.totalSize(), 0, 0) : m;
    }

    private static byte[] peerId()
    {
        return "-SP0100-magnettest01".getBytes(StandardCharsets.US_ASCII);
    }

    /** Speaks BEP 9 correctly but sends metadata of the right size with the wrong bytes. */
    private static final class LyingPeer implements AutoCloseable
    {
        private final ServerSocket server;
        private Thread thread;

        LyingPeer() throws IOException
        {
            server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        }

        InetSocketAddress address()
        {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        void start(final byte[] infoHash, final int size)
        {
            thread = new Thread(() ->
            {
                while (!server.isClosed())
                {
                    try (Socket s = server.accept())
                    {
                        serve(s, infoHash, size);
                    }
                    catch (final IOException ignored)
                    {
                        // the fetcher hung up or the test ended
                    }
                }
            }, "lying-peer");
            thread.setDaemon(true);
            thread.start();
        }

        private static void serve(final Socket s, final byte[] infoHash, final int size) throws IOException
        {
            final DataInputStream in = new DataInputStream(s.getInputStream());
            final OutputStream out = s.getOutputStream();
            in.readFully(new byte[Handshake.LENGTH]);
            final UnsafeBuffer hs = new UnsafeBuffer(new byte[Handshake.LENGTH]);
            Handshake.encode(hs, 0, infoHash, "-XX0000-liarliarliar".getBytes(StandardCharsets.US_ASCII), false, true);
            out.write(hs.byteArray());
            frame(out, 0, new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, 7), "liar", -1, -1, size,
                null).encode(), new byte[0]);
            while (true)
            {
                final int length = in.readInt();
                final byte[] body = new byte[length];
                in.readFully(body);
                if (length > 1 && body[0] == 20 && body[1] == 7)
                {
                    final MetadataMessage m = MetadataMessage.decode(body, 2, length - 2);
                    final int n = Math.min(MetadataMessage.PIECE_LENGTH,
                        size - m.piece() * MetadataMessage.PIECE_LENGTH);
                    frame(out, MetadataMessage.OUR_EXTENDED_ID, MetadataMessage.dataHeader(m.piece(), size),
                        new byte[n]);
                }
            }
        }

        private static void frame(final OutputStream out, final int extId, final byte[] dict, final byte[] data)
            throws IOException
        {
            final UnsafeBuffer f = new UnsafeBuffer(new byte[MessageEncoder.EXTENDED_HEADER_LENGTH + dict.length +
                data.length]);
            MessageEncoder.extendedHeader(f, 0, extId, dict.length + data.length);
            f.putBytes(MessageEncoder.EXTENDED_HEADER_LENGTH, dict);
            f.putBytes(MessageEncoder.EXTENDED_HEADER_LENGTH + dict.length, data);
            out.write(f.byteArray());
            out.flush();
        }

        @Override
        public void close() throws IOException
        {
            server.close();
        }
    }
}
