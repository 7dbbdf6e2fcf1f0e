package io.spate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codec against a real client: a libtorrent 2.0 seed on 127.0.0.1. We handshake with the fast and extension
 * bits, decode everything libtorrent sends with a validating {@link MessageDecoder}, and fetch one block from the
 * first piece and one from the short last piece. Fails (never skips) if /usr/bin/python3 lacks libtorrent.
 */
class WireLibtorrentInteropTest
{
    private static final int PIECE_LENGTH = 32 * 1024;
    private static final int FILE_LENGTH = 3 * PIECE_LENGTH + 1696;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fetchesBlocksFromALibtorrentSeed() throws Exception
    {
        final byte[] content = new byte[FILE_LENGTH];
        new Random(7).nextBytes(content);
        final Path data = dir.resolve("data.bin");
        Files.write(data, content);
        final Path script = dir.resolve("libtorrent_seed.py");
        try (InputStream in = getClass().getResourceAsStream("libtorrent_seed.py"))
        {
            Files.copy(in, script);
        }
        final Process seed = new ProcessBuilder("/usr/bin/python3", script.toString(), data.toString(),
            Integer.toString(PIECE_LENGTH)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final String line = new BufferedReader(new InputStreamReader(seed.getInputStream(),
                StandardCharsets.US_ASCII)).readLine();
            assertNotNull(line, "the libtorrent seed did not start (needs /usr/bin/python3 with python3-libtorrent)");
            final String[] ready = line.split(" ");
            assertEquals("READY", ready[0]);
            final int port = Integer.parseInt(ready[1]);
            final byte[] infoHash = HexFormat.of().parseHex(ready[2]);
            final int pieceCount = Integer.parseInt(ready[3]);
            final long metadataSize = Long.parseLong(ready[4]);
            assertEquals(4, pieceCount);
            talkTo(port, infoHash, metadataSize, content);
        }
        finally
        {
            seed.getOutputStream().close();
            seed.destroy();
            if (!seed.waitFor(5, TimeUnit.SECONDS))
            {
                seed.destroyForcibly();
            }
        }
    }

    private void talkTo(final int port, final byte[] infoHash, final long metadataSize, final byte[] content)
        throws Exception
    {
        final int lastPieceLength = FILE_LENGTH - 3 * PIECE_LENGTH;
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            final UnsafeBuffer send = new UnsafeBuffer(new byte[512]);
            int n = Handshake.encode(send, 0, infoHash, "-SP0001-wiretest0000".getBytes(StandardCharsets.US_ASCII),
                true, true);
            n += MessageEncoder.haveNone(send, n);
            n += new ExtensionHandshake(Map.of(), "Spate wire test", -1, 250, -1, null).encodeFrame(send, n);
            n += MessageEncoder.interested(send, n);
            out.write(send.byteArray(), 0, n);
            out.flush();

            final byte[] receive = new byte[1 << 18];
            final UnsafeBuffer rb = new UnsafeBuffer(receive);
            int pending = readAtLeast(in, receive, 0, Handshake.LENGTH);
            assertEquals(HandshakeError.NONE, Handshake.validate(rb, 0, pending, infoHash));
            assertTrue(Handshake.supportsFast(rb, 0), "libtorrent sets the fast bit");
            assertTrue(Handshake.supportsExtended(rb, 0), "libtorrent sets the extension protocol bit");
            System.arraycopy(receive, Handshake.LENGTH, receive, 0, pending - Handshake.LENGTH);
            pending -= Handshake.LENGTH;

            final MessageDecoder decoder = new MessageDecoder(4, PIECE_LENGTH, lastPieceLength);
            decoder.fastEnabled(true);
            decoder.extendedEnabled(true);
            final Peer peer = new Peer(out);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (peer.blocks < 2 && System.nanoTime() < deadline)
            {
                final int consumed = decoder.decode(rb, 0, pending, null, peer);
                assertNotEquals(-1, consumed, () -> "libtorrent frame refused: " + decoder.violation() +
                    " id " + decoder.violationMessageId());
                System.arraycopy(receive, consumed, receive, 0, pending - consumed);
                pending -= consumed;
                if (peer.blocks < 2)
                {
                    final int read = in.read(receive, pending, receive.length - pending);
                    assertTrue(read > 0, "libtorrent closed the connection; saw " + peer.events);
                    pending += read;
                }
            }
            assertTrue(peer.haveAll, "a fast-extension seed announces HAVE_ALL; saw " + peer.events);
            assertNotNull(peer.handshake, "extension handshake; saw " + peer.events);
            assertTrue(peer.handshake.extensionId(ExtensionHandshake.UT_METADATA) > 0);
            assertEquals(metadataSize, peer.handshake.metadataSize());
            assertNotNull(peer.handshake.client());
            assertEquals(2, peer.blocks, "blocks received; saw " + peer.events);
            assertArrayEquals(slice(content, 0, 16384), peer.first);
            assertArrayEquals(slice(content, 3 * PIECE_LENGTH + 1000, lastPieceLength - 1000), peer.last);
        }
    }

    private static byte[] slice(final byte[] src, final int from, final int length)
    {
        final byte[] out = new byte[length];
        System.arraycopy(src, from, out, 0, length);
        return out;
    }

    private static int readAtLeast(final InputStream in, final byte[] dst, final int from, final int atLeast)
        throws Exception
    {
        int n = from;
        while (n < atLeast)
        {
            final int read = in.read(dst, n, dst.length - n);
            assertTrue(read > 0, "connection closed after " + n + " bytes");
            n += read;
        }
        return n;
    }

    /** Requests the two blocks once unchoked and keeps what arrives. */
    private static final class Peer extends RecordingHandler
    {
        private final OutputStream out;
        private final UnsafeBuffer send = new UnsafeBuffer(new byte[64]);
        boolean haveAll;
        boolean requested;
        ExtensionHandshake handshake;
        int blocks;
        byte[] first;
        byte[] last;

        Peer(final OutputStream out)
        {
            this.out = out;
        }

        @Override
        public void onHaveAll(final Object peer)
        {
            super.onHaveAll(peer);
            haveAll = true;
        }

        @Override
        public void onUnchoke(final Object peer)
        {
            super.onUnchoke(peer);
            if (requested)
            {
                return;
            }
            requested = true;
            int n = MessageEncoder.request(send, 0, 0, 0, 16384);
            n += MessageEncoder.request(send, n, 3, 1000, FILE_LENGTH - 3 * PIECE_LENGTH - 1000);
            try
            {
                out.write(send.byteArray(), 0, n);
                out.flush();
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        @Override
        public void onExtended(final Object peer,
            final int extendedId, final DirectBuffer buf, final int offset, final int length)
        {
            super.onExtended(peer, extendedId, buf, offset, length);
            if (extendedId == ExtensionHandshake.HANDSHAKE_ID)
            {
                handshake = ExtensionHandshake.decode(buf, offset, length);
            }
        }

        @Override
        public void onPiece(final Object peer,
            final int index, final int begin, final DirectBuffer buf, final int offset,
            final int length)
        {
            events.add("PIECE " + index + " " + begin + " (" + length + " bytes)");
            final byte[] block = new byte[length];
            buf.getBytes(offset, block);
            if (index == 0)
            {
                first = block;
            }
            else
            {
                last = block;
            }
            blocks++;
        }
    }
}
