package io.spate.peer;

import io.spate.picker.PiecePicker;
import io.spate.wire.Handshake;
import io.spate.wire.HandshakeError;
import io.spate.wire.MessageDecoder;
import io.spate.verify.BlockMemory;
import io.spate.wire.MessageEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The receiving half of a connection: bytes read from the socket into a direct buffer, the handshake parsed from
 * it, then every whole frame validated by the decoder and dispatched straight to the torrent's {@link PeerHandler}
 * (with the connection as the sender). A partial frame waits in the buffer for the rest.
 * <p>
 * The buffer is also where received blocks go to disk from: a PIECE's block is handed to the disk handlers where the
 * socket read put it ({@link io.spate.verify.BlockEvent#reference}), so each byte is copied twice (socket to this
 * buffer, buffer to the page cache) and read once more in place by SHA-1. Bytes the handlers may still read are never
 * written over: reads append until the buffer is nearly full, then the connection moves on to a fresh buffer from
 * the agent's {@link ReceiveBuffers} and the old one waits there until the handlers are past it. Near the end of a
 * buffer a read stops at the end of the frame under way, so the next buffer starts on a frame boundary and, as a
 * rule, no byte is moved at all (only a length prefix cut by the read, at most 3 bytes).
 * <p>
 * A connection starts with a small buffer and moves on to full-size ones once it carries blocks (it leaves the small
 * buffer with blocks in it) or a frame that does not fit: a seed's connections carry requests, whose buffer starts over
 * in place, and keep the small one. (Growing only when a read filled all its room kept a fast pair's leecher, which
 * reads often and little, in small buffers: a 1 GiB pair took 1.6x as long,
 * perf-results/memory/pair-ab-grow-94f86e8-20261207.txt.)
 */
final class PeerReader
{
    /**
     * Below this room at the end of the buffer (or half a smaller buffer), reads stop at the end of the frame under way
     * (see class comment).
     */
    static final int MIN_READ_SPACE = 32 * 1024;

    private final PeerConnection connection;
    private final byte[] infoHash = new byte[20];
    private ReceiveBuffers buffers;
    private BlockMemory memory;
    private ByteBuffer buffer;
    private UnsafeBuffer view;
    private MessageDecoder decoder;
    private PeerHandler handler;
    private HandshakeRouter router;
    /** Set on the accepting agent's thread when the connection leaves it; read only by that thread. */
    private boolean handedOver;
    /** The last read found no buffer to move on to: the agent backs off and retries. */
    private boolean starved;
    /** First byte not yet consumed (the start of the partial frame, if any). */
    private int start;
    /** End of the bytes read. */
    private int length;
    /** The ring's cursor when this buffer was taken: once it moves, blocks in this buffer may be in the ring. */
    private long publishedMark;

    PeerReader(final PeerConnection connection, final ReceiveBuffers buffers)
    {
        this.connection = connection;
        this.buffers = buffers;
        use(buffers.first());
    }

    void attach(final PeerHandler handler, final MessageDecoder decoder)
    {
        this.handler = handler;
        this.decoder = decoder;
    }

    /** The agent whose buffers this connection takes from now on (an accepted connection handed to its owner). */
    void buffers(final ReceiveBuffers buffers)
    {
        this.buffers = buffers;
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

    /** @return true when the last {@link #read} found no buffer to move on to (too many wait for the disk). */
    boolean starved()
    {
        return starved;
    }

    /** @return the memory {@code buf} views if it is this reader's buffer, else null (a block from elsewhere). */
    BlockMemory memoryOf(final DirectBuffer buf)
    {
        return buf == view ? memory : null;
    }

    /** Processes bytes already read, on the agent the connection was handed to. */
    void processBuffered()
    {
        handedOver = false;
        if (length > start)
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

    /** The connection closed: its buffer goes back to the agent (once the handlers are past its blocks). */
    void close()
    {
        if (memory != null)
        {
            giveBack();
            memory = null;
        }
    }

    /** @return bytes of the buffer reads go to now. */
    int bufferCapacity()
    {
        return memory == null ? 0 : memory.capacity();
    }

    /** @return ring slots one full buffer of blocks may need. */
    int capacityInBlocks()
    {
        return buffers.capacity() / PiecePicker.BLOCK_LENGTH + 1;
    }

    /** @return bytes read, at most {@code max} (0 when none were ready or no room), or -1 at the end of the stream. */
    int read(final SocketChannel channel, final int max) throws IOException
    {
        starved = false;
        if (memory == null)
        {
            return -1;
        }
        if (!makeRoom())
        {
            starved = true;
            return 0;
        }
        int limit = view.capacity();
        if (limit - length < minReadSpace(limit))
        {
            final long end = frameEnd();
            if (end > length && end <= limit)
            {
                limit = (int)end;
            }
        }
        buffer.limit((int)Math.min(limit, (long)length + max)).position(length);
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
        int offset = start;
        if (connection.state() == PeerConnection.State.HANDSHAKING)
        {
            if (!handshake())
            {
                return;
            }
            offset += Handshake.LENGTH;
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
        if (connection.state() != PeerConnection.State.CLOSED)
        {
            start = offset;
        }
    }

    /**
     * Makes room for the next read: a buffer holding nothing the disk handlers may read starts over in place; one that
     * does is left for a fresh buffer once the frame under way cannot be finished in it.
     *
     * @return false when a fresh buffer was needed and none is free yet.
     */
    private boolean makeRoom()
    {
        final int capacity = view.capacity();
        final boolean full = capacity == buffers.capacity();
        final boolean clean = buffers.published() == publishedMark;
        if (start == length && clean)
        {
            start = 0;
            length = 0;
            return true;
        }
        final long end = frameEnd();
        final boolean tooLong = !full && end - start > capacity; // the frame under way needs a full-size buffer
        final boolean finishesHere = end > length && end <= capacity;
        if (!tooLong && (start == 0 || capacity - length >= minReadSpace(capacity) &&
            (end < 0 || end <= capacity) || capacity - length > 0 && finishesHere))
        {
            return true;
        }
        final int left = length - start;
        if (clean && !tooLong)
        {
            view.putBytes(0, view, start, left);
        }
        else
        {
            // blocks were handed on from this buffer, or the frame under way needs more room: full-size from now on
            final BlockMemory fresh = buffers.next();
            if (fresh == null)
            {
                return false;
            }
            fresh.view().putBytes(0, view, start, left);
            giveBack();
            use(fresh);
        }
        start = 0;
        length = left;
        return true;
    }

    /** @return the room below which reads stop at the end of the frame under way, for a buffer of {@code capacity}. */
    private static int minReadSpace(final int capacity)
    {
        return Math.min(MIN_READ_SPACE, capacity / 2);
    }

    /** @return the end of the frame under way (the handshake, or a message whose length prefix is in), else -1. */
    private long frameEnd()
    {
        if (connection.state() == PeerConnection.State.HANDSHAKING || connection.state() == PeerConnection.State.CONNECTING)
        {
            return (long)start + Handshake.LENGTH;
        }
        if (length - start < MessageEncoder.LENGTH_PREFIX)
        {
            return -1;
        }
        return start + MessageEncoder.LENGTH_PREFIX + (view.getInt(start, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    private void use(final BlockMemory fresh)
    {
        memory = fresh;
        buffer = fresh.buffer();
        view = fresh.view();
        publishedMark = buffers.published();
    }

    private void giveBack()
    {
        if (buffers.published() == publishedMark)
        {
            buffers.release(memory);
        }
        else
        {
            buffers.retire(memory, buffers.published());
        }
    }

    /** @return true when the handshake was taken in and the connection is active. */
    private boolean handshake()
    {
        final HandshakeError error = Handshake.validate(view, start, length - start);
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
        Handshake.peerId(view, start, peerId);
        Handshake.infoHash(view, start, infoHash);
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
        final boolean fast = Handshake.supportsFast(view, start);
        final boolean extended = Handshake.supportsExtended(view, start);
        connection.activate(fast, extended, Handshake.supportsDht(view, start));
        decoder.fastEnabled(fast);
        decoder.extendedEnabled(extended);
        handler.onActive(connection);
        return true;
    }
}
