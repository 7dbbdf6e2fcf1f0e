package io.spate.peer;

import io.spate.picker.PiecePicker;
import io.spate.wire.Handshake;
import io.spate.wire.HandshakeError;
import io.spate.wire.MessageDecoder;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The receiving half of a connection: bytes read from the socket into a direct buffer, the handshake parsed from
 * it, then every whole frame validated by the decoder and dispatched straight to the torrent's {@link PeerHandler}
 * (with the connection as the sender). A partial frame waits at the front of the buffer for the rest.
 */
final class PeerReader
{
    private final PeerConnection connection;
    private final ByteBuffer buffer;
    private final UnsafeBuffer view;
    private final byte[] infoHash = new byte[20];
    private MessageDecoder decoder;
    private PeerHandler handler;
    private HandshakeRouter router;
    /** Set on the accepting agent's thread when the connection leaves it; read only by that thread. */
    private boolean handedOver;
    private int length;

    PeerReader(final PeerConnection connection, final int capacity)
    {
        this.connection = connection;
        this.buffer = BufferUtil.allocateDirectAligned(BitUtil.findNextPositivePowerOfTwo(capacity), 64);
        this.view = new UnsafeBuffer(buffer);
    }

    void attach(final PeerHandler handler, final MessageDecoder decoder)
    {
        this.handler = handler;
        this.decoder = decoder;
    }

    void router(final HandshakeRouter router)
    {
        this.router = router;
    }

    /** An accepted connection closed before its handshake placed it (bad handshake, timeout). */
    void unroutedClosed(final CloseReason reason, final String detail)
    {
        if (router != null)
        {
            router.onClosed(connection, reason, detail);
        }
    }

    /** @return true when the connection went to another agent during the last {@link #process}. */
    boolean handedOver()
    {
        return handedOver;
    }

    /** Processes bytes already read, on the agent the connection was handed to. */
    void processBuffered()
    {
        handedOver = false;
        if (length > 0)
        {
            process();
        }
    }

    /** Ends a {@link #process} under way (the connection closed from inside a handler). */
    void stop()
    {
        if (decoder != null)
        {
            decoder.stop();
        }
    }

    /** @return ring slots one full buffer of blocks may need. */
    int capacityInBlocks()
    {
        return buffer.capacity() / PiecePicker.BLOCK_LENGTH + 1;
    }

    /** @return bytes read, at most {@code max} (0 when none were ready), or -1 at the end of the stream. */
    int read(final SocketChannel channel, final int max) throws IOException
    {
        buffer.limit((int)Math.min(buffer.capacity(), (long)length + max)).position(length);
        final int n = channel.read(buffer);
        if (n > 0)
        {
            length += n;
        }
        return n;
    }

    /** Takes in the handshake while the connection waits for it, then every whole frame in the buffer. */
    void process()
    {
        int offset = 0;
        if (connection.state() == PeerConnection.State.HANDSHAKING)
        {
            if (!handshake())
            {
                return;
            }
            offset = Handshake.LENGTH;
        }
        if (connection.state() == PeerConnection.State.ACTIVE)
        {
            final int consumed = decoder.decode(view, offset, length - offset, connection, handler);
            if (consumed < 0)
            {
                connection.close(CloseReason.PROTOCOL_VIOLATION, decoder.violation() + " in message id " +
                    decoder.violationMessageId());
                return;
            }
            offset += consumed;
        }
        if (connection.state() != PeerConnection.State.CLOSED && offset > 0)
        {
            final int left = length - offset;
            if (left > 0)
            {
                view.putBytes(0, view, offset, left);
            }
            length = left;
        }
    }

    /** @return true when the handshake was taken in and the connection is active. */
    private boolean handshake()
    {
        final HandshakeError error = Handshake.validate(view, 0, length);
        if (error == HandshakeError.INCOMPLETE)
        {
            return false;
        }
        if (error != HandshakeError.NONE)
        {
            connection.close(CloseReason.BAD_HANDSHAKE, error.toString());
            return false;
        }
        final byte[] peerId = connection.remotePeerId();
        Handshake.peerId(view, 0, peerId);
        Handshake.infoHash(view, 0, infoHash);
        if (!connection.attached())
        {
            // an accepted connection: its handshake names the torrent, and so the agent that owns it
            final HandshakeRouter.Outcome outcome = router.route(connection, infoHash, peerId);
            if (outcome == HandshakeRouter.Outcome.REFUSED)
            {
                connection.close(CloseReason.WRONG_INFO_HASH, "handshake names a torrent not served here");
                return false;
            }
            if (outcome == HandshakeRouter.Outcome.HANDED_OVER)
            {
                handedOver = true;
                return false; // the owning agent replays the buffered bytes; this thread must not touch them again
            }
        }
        if (!handler.onHandshake(connection, infoHash, peerId))
        {
            connection.close(CloseReason.WRONG_INFO_HASH, "info-hash not served here");
            return false;
        }
        final boolean fast = Handshake.supportsFast(view, 0);
        final boolean extended = Handshake.supportsExtended(view, 0);
        connection.activate(fast, extended, Handshake.supportsDht(view, 0));
        decoder.fastEnabled(fast);
        decoder.extendedEnabled(extended);
        handler.onActive(connection);
        return true;
    }
}
