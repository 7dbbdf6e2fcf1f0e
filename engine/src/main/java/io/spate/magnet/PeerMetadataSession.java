package io.spate.magnet;

import io.spate.wire.ExtensionHandshake;
import io.spate.wire.Handshake;
import io.spate.wire.HandshakeError;
import io.spate.wire.MessageEncoder;
import io.spate.wire.MessageType;
import io.spate.wire.MetadataMessage;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;

/**
 * Fetches a torrent's info dictionary from one peer (BEP 9 over BEP 10): handshake with the extension bit, our
 * extension handshake offering ut_metadata, the peer's telling its {@code metadata_size}, then requests for every
 * 16 KiB piece, two in flight (a peer's send buffer is not ours to overflow). Control path, blocking, one thread.
 * <p>
 * Every length the peer sends is bounded before it is used; any breach, a wrong info-hash, a reject, or metadata
 * whose SHA-1 is not the info-hash ends the session with an {@link IOException} saying which.
 */
final class PeerMetadataSession implements AutoCloseable
{
    /** Frames other than ut_metadata (bitfield, have, ...) are skipped; none may claim more than this. */
    private static final int MAX_FRAME = 1 << 20;
    private static final int IN_FLIGHT = 2;

    private final InetSocketAddress address;
    private final byte[] infoHash;
    private final byte[] peerId;
    private final int timeoutMs;
    private final Socket socket = new Socket();
    private DataInputStream in;
    private OutputStream out;
    private int peerMetadataId;

    PeerMetadataSession(final InetSocketAddress address, final byte[] infoHash, final byte[] peerId,
        final int timeoutMs)
    {
        this.address = address;
        this.infoHash = infoHash;
        this.peerId = peerId;
        this.timeoutMs = timeoutMs;
    }

    /** @return the verified info dictionary. */
    byte[] fetch() throws IOException
    {
        socket.connect(address, timeoutMs);
        socket.setSoTimeout(timeoutMs);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        out = socket.getOutputStream();
        handshake();
        final long size = awaitExtensionHandshake();
        byte[] metadata = null; // allocated with the first piece: a peer that only claims a size costs nothing
        final int pieces = MetadataMessage.pieceCount(size);
        int requested = 0;
        int received = 0;
        while (requested < Math.min(IN_FLIGHT, pieces))
        {
            sendExtended(peerMetadataId, MetadataMessage.request(requested++));
        }
        while (received < pieces)
        {
            final byte[] payload = nextMetadataMessage();
            final MetadataMessage message = MetadataMessage.decode(payload, 1, payload.length - 1);
            if (message == null)
            {
                throw new IOException("sent a ut_metadata message that is not a well-formed dictionary");
            }
            if (message.type() == MetadataMessage.REJECT)
            {
                throw new IOException("rejected our request for metadata piece " + message.piece());
            }
            if (message.type() != MetadataMessage.DATA)
            {
                continue; // BEP 9: unknown types are ignored (and a request of ours is none of its business)
            }
            final int piece = message.piece();
            final int from = piece * MetadataMessage.PIECE_LENGTH;
            final int expected = (int)Math.min(MetadataMessage.PIECE_LENGTH, size - from);
            if (piece >= pieces || piece >= requested || message.dataLength() != expected ||
                (message.totalSize() != -1 && message.totalSize() != size))
            {
                throw new IOException("sent metadata piece " + piece + " of " + message.dataLength() +
                    " bytes (total_size " + message.totalSize() + "); expected one of the " + pieces +
                    " pieces we asked for, " + expected + " bytes, of " + size);
            }
            if (metadata == null)
            {
                metadata = new byte[(int)size];
            }
            System.arraycopy(payload, message.dataOffset(), metadata, from, expected);
            received++;
            if (requested < pieces)
            {
                sendExtended(peerMetadataId, MetadataMessage.request(requested++));
            }
        }
        if (!Arrays.equals(sha1(metadata), infoHash))
        {
            throw new IOException("sent " + size + " bytes of metadata whose SHA-1 is not the info-hash");
        }
        return metadata;
    }

    private void handshake() throws IOException
    {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[Handshake.LENGTH]);
        Handshake.encode(buf, 0, infoHash, peerId, false, true);
        out.write(buf.byteArray());
        final byte[] reply = new byte[Handshake.LENGTH];
        in.readFully(reply);
        final UnsafeBuffer view = new UnsafeBuffer(reply);
        final HandshakeError error = Handshake.validate(view, 0);
        if (error != HandshakeError.NONE)
        {
            throw new IOException("bad handshake: " + error);
        }
        if (!Handshake.infoHashEquals(view, 0, infoHash))
        {
            throw new IOException("answered with another info-hash");
        }
        if (!Handshake.supportsExtended(view, 0))
        {
            throw new IOException("does not support the extension protocol (BEP 10), so cannot send metadata");
        }
        sendExtended(ExtensionHandshake.HANDSHAKE_ID, new ExtensionHandshake(
            Map.of(ExtensionHandshake.UT_METADATA, MetadataMessage.OUR_EXTENDED_ID), "Spate 0.1", -1, -1, -1, null)
            .encode());
    }

    /** Reads until the peer's extension handshake; @return its metadata_size, checked. */
    private long awaitExtensionHandshake() throws IOException
    {
        while (true)
        {
            final byte[] payload = nextExtended();
            if ((payload[0] & 0xFF) != ExtensionHandshake.HANDSHAKE_ID)
            {
                continue;
            }
            final ExtensionHandshake handshake = ExtensionHandshake.decode(Arrays.copyOfRange(payload, 1,
                payload.length));
            if (handshake == null)
            {
                throw new IOException("sent an extension handshake that is not a bencoded dictionary");
            }
            peerMetadataId = handshake.extensionId(ExtensionHandshake.UT_METADATA);
            if (peerMetadataId == 0)
            {
                throw new IOException("does not offer ut_metadata (BEP 9)");
            }
            final long size = handshake.metadataSize();
            if (size <= 0 || size > MetadataMessage.MAX_METADATA_SIZE)
            {
                throw new IOException("metadata_size " + size + " is not 1.." + MetadataMessage.MAX_METADATA_SIZE);
            }
            return size;
        }
    }

    /** @return the next ut_metadata message addressed to us, extended id first. */
    private byte[] nextMetadataMessage() throws IOException
    {
        while (true)
        {
            final byte[] payload = nextExtended();
            if ((payload[0] & 0xFF) == MetadataMessage.OUR_EXTENDED_ID)
            {
                return payload;
            }
        }
    }

    /** @return the payload of the next EXTENDED frame (extended id first), other frames skipped. */
    private byte[] nextExtended() throws IOException
    {
        while (true)
        {
            final int length = in.readInt();
            if (length < 0 || length > MAX_FRAME)
            {
                throw new IOException("sent a frame length of " + length + " (limit " + MAX_FRAME + ")");
            }
            if (length == 0)
            {
                continue; // keep-alive
            }
            final int id = in.readUnsignedByte();
            if (id != MessageType.EXTENDED)
            {
                skip(length - 1);
                continue;
            }
            if (length < 2 || length - 1 > MetadataMessage.MAX_MESSAGE_LENGTH + 1)
            {
                throw new IOException("sent an extended message of " + length + " bytes");
            }
            final byte[] payload = new byte[length - 1];
            in.readFully(payload);
            return payload;
        }
    }

    private void skip(final int n) throws IOException
    {
        int left = n;
        while (left > 0)
        {
            final int skipped = in.skipBytes(left);
            if (skipped <= 0)
            {
                throw new EOFException("closed the connection");
            }
            left -= skipped;
        }
    }

    private void sendExtended(final int extendedId, final byte[] dict) throws IOException
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[MessageEncoder.EXTENDED_HEADER_LENGTH + dict.length]);
        MessageEncoder.extended(frame, 0, extendedId, dict, 0, dict.length);
        out.write(frame.byteArray());
        out.flush();
    }

    static byte[] sha1(final byte[] data)
    {
        try
        {
            return MessageDigest.getInstance("SHA-1").digest(data);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required of every JVM", ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // closing: nothing to add
        }
    }
}
