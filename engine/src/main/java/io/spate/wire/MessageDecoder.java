package io.spate.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Decodes length-prefixed peer wire frames from a buffer, validates each one against the torrent's geometry and the
 * negotiated extensions, and only then calls the {@link MessageHandler}. One instance per connection, owned by the
 * connection's thread; no allocation per message and nothing thrown on any input: a bad frame stops decoding, makes
 * {@link #decode} return -1 and is named by {@link #violation()}.
 * <p>
 * Checks that depend only on the length prefix and id (length limit, unknown or not negotiated id, payload length
 * of fixed-size messages, bitfield length, PIECE block size) are made as soon as those 5 bytes are present, so a
 * hostile frame is refused before it is buffered. Field checks (index, bounds, spare bits) are made once the whole
 * frame is present. Message order (bitfield first, requests only while unchoked, pieces only when requested) is
 * connection state and is the caller's to check.
 * <p>
 * A piece count of 0 means the geometry is not known yet (a magnet link before its metadata): index, block bounds
 * and bitfield length are then not checked, frame length and block size still are; call {@link #geometry} once the
 * metadata arrives.
 */
public final class MessageDecoder
{
    /** Largest block a peer may request or send: 128 KiB. Everyone requests 16 KiB. */
    public static final int MAX_BLOCK_LENGTH = 128 * 1024;
    /** Default largest length prefix: a 128 KiB block plus the PIECE header. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = MAX_BLOCK_LENGTH + 13;
    /** Returned by {@link #decode} on a protocol violation. */
    public static final int VIOLATION = -1;

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    private static final int PREFIX = MessageEncoder.LENGTH_PREFIX;
    private static final int HEADER = MessageEncoder.HEADER_LENGTH;

    private final FrameValidator rules;
    private ProtocolViolation violation = ProtocolViolation.NONE;
    private int violationOffset = -1;
    private int violationMessageId = -1;
    private boolean stopRequested;

    /**
     * @param pieceCount      pieces in the torrent, or 0 when not known yet.
     * @param pieceLength     length of every piece but the last (ignored when pieceCount is 0).
     * @param lastPieceLength length of the last piece, 1..pieceLength (ignored when pieceCount is 0).
     * @param maxFrameLength  largest length prefix accepted; raised to fit the bitfield if that is larger.
     * @throws IllegalArgumentException on inconsistent geometry (configuration, not peer input).
     */
    public MessageDecoder(final int pieceCount, final int pieceLength, final int lastPieceLength,
        final int maxFrameLength)
    {
        this.rules = new FrameValidator(maxFrameLength);
        rules.geometry(pieceCount, pieceLength, lastPieceLength);
    }

    /** A decoder with {@link #DEFAULT_MAX_FRAME_LENGTH}. */
    public MessageDecoder(final int pieceCount, final int pieceLength, final int lastPieceLength)
    {
        this(pieceCount, pieceLength, lastPieceLength, DEFAULT_MAX_FRAME_LENGTH);
    }

    /**
     * Sets the torrent geometry (for example once a magnet link's metadata has arrived).
     *
     * @throws IllegalArgumentException on inconsistent geometry.
     */
    public void geometry(final int pieceCount, final int pieceLength, final int lastPieceLength)
    {
        rules.geometry(pieceCount, pieceLength, lastPieceLength);
    }

    public void fastEnabled(final boolean enabled)
    {
        rules.fastEnabled = enabled;
    }

    public void extendedEnabled(final boolean enabled)
    {
        rules.extendedEnabled = enabled;
    }

    public boolean fastEnabled()
    {
        return rules.fastEnabled;
    }

    public boolean extendedEnabled()
    {
        return rules.extendedEnabled;
    }

    /** @return the largest length prefix accepted: max(configured, 1 + bitfield bytes). */
    public int maxFrameLength()
    {
        return rules.maxFrameLength();
    }

    public int pieceCount()
    {
        return rules.pieceCount();
    }

    /** @return bytes of a valid bitfield payload, ceil(pieceCount / 8). */
    public int bitfieldLength()
    {
        return rules.bitfieldLength();
    }

    /** @return length of piece {@code index} (the last piece may be shorter); index must be in range. */
    public int pieceLength(final int index)
    {
        return rules.pieceLength(index);
    }

    /** @return what the last {@link #decode} call that returned -1 found; {@link ProtocolViolation#NONE} otherwise. */
    public ProtocolViolation violation()
    {
        return violation;
    }

    /** @return buffer offset of the length prefix of the frame that violated the protocol, or -1. */
    public int violationOffset()
    {
        return violationOffset;
    }

    /** @return message id of the frame that violated the protocol, or -1 (keep-alive or id not yet read). */
    public int violationMessageId()
    {
        return violationMessageId;
    }

    /**
     * Called from a {@link MessageHandler} callback: the running {@link #decode} returns after the current frame
     * (counting it as consumed), for example when the handler closed the connection or a downstream queue is full.
     */
    public void stop()
    {
        stopRequested = true;
    }

    /**
     * Length prefix of the next frame, for sizing the receive path.
     *
     * @return the length prefix (bytes after the 4-byte prefix: id and payload) if the 4 bytes are present, else
     * -1; a prefix of 2^31 or more is returned as {@link Integer#MAX_VALUE} (never negative other than -1).
     */
    public static int peekFrameLength(final DirectBuffer buf, final int offset, final int available)
    {
        if (offset < 0 || available < PREFIX || offset > buf.capacity() - PREFIX)
        {
            return -1;
        }
        final int length = buf.getInt(offset, BIG);
        return length < 0 ? Integer.MAX_VALUE : length;
    }

    /**
     * Decodes every whole frame in {@code buf[offset, offset + available)}.
     *
     * @return bytes consumed (whole frames only; a partial frame at the end is left for the next call), or -1 at the
     * first invalid frame (frames before it have been dispatched) with {@link #violation()} naming the problem.
     */
    public <C> int decode(final DirectBuffer buf, final int offset, final int available, final C peer,
        final MessageHandler<C> handler)
    {
        return decode(buf, offset, available, peer, handler, Integer.MAX_VALUE);
    }

    /**
     * As {@link #decode(DirectBuffer, int, int, Object, MessageHandler)} but dispatching at most {@code frameLimit}
     * frames (keep-alives included), so a caller can stop when a downstream queue is full.
     */
    public <C> int decode(
        final DirectBuffer buf,
        final int offset,
        final int available,
        final C peer,
        final MessageHandler<C> handler,
        final int frameLimit)
    {
        violation = ProtocolViolation.NONE;
        violationOffset = -1;
        violationMessageId = -1;
        stopRequested = false;
        if (offset < 0 || available <= 0 || offset > buf.capacity())
        {
            return 0;
        }
        final int end = offset + Math.min(available, buf.capacity() - offset);
        int pos = offset;
        int frames = 0;
        while (frames < frameLimit && !stopRequested && end - pos >= PREFIX)
        {
            final int length = buf.getInt(pos, BIG);
            if (rules.lengthTooLarge(length))
            {
                return fail(ProtocolViolation.LENGTH_TOO_LARGE, pos, -1);
            }
            if (length == 0)
            {
                handler.onKeepAlive(peer);
                pos += PREFIX;
                frames++;
                continue;
            }
            if (end - pos < HEADER)
            {
                break;
            }
            final int id = buf.getByte(pos + PREFIX) & 0xFF;
            ProtocolViolation v = rules.checkHeader(id, length);
            if (v != ProtocolViolation.NONE)
            {
                return fail(v, pos, id);
            }
            if (end - pos - PREFIX < length)
            {
                break;
            }
            v = dispatch(buf, pos + HEADER, id, length - 1, peer, handler);
            if (v != ProtocolViolation.NONE)
            {
                return fail(v, pos, id);
            }
            pos += PREFIX + length;
            frames++;
        }
        return pos - offset;
    }

    private int fail(final ProtocolViolation v, final int at, final int id)
    {
        violation = v;
        violationOffset = at;
        violationMessageId = id;
        return VIOLATION;
    }

    /** Checks the fields of a whole frame and, if valid, calls the handler. p is the first payload byte. */
    private <C> ProtocolViolation dispatch(final DirectBuffer buf, final int p, final int id, final int payloadLength,
        final C peer, final MessageHandler<C> handler)
    {
        switch (id)
        {
            case MessageType.CHOKE:
                handler.onChoke(peer);
                return ProtocolViolation.NONE;
            case MessageType.UNCHOKE:
                handler.onUnchoke(peer);
                return ProtocolViolation.NONE;
            case MessageType.INTERESTED:
                handler.onInterested(peer);
                return ProtocolViolation.NONE;
            case MessageType.NOT_INTERESTED:
                handler.onNotInterested(peer);
                return ProtocolViolation.NONE;
            case MessageType.HAVE_ALL:
                handler.onHaveAll(peer);
                return ProtocolViolation.NONE;
            case MessageType.HAVE_NONE:
                handler.onHaveNone(peer);
                return ProtocolViolation.NONE;
            case MessageType.HAVE:
            case MessageType.SUGGEST_PIECE:
            case MessageType.ALLOWED_FAST:
                return dispatchIndex(buf.getInt(p, BIG), id, peer, handler);
            case MessageType.REQUEST:
            case MessageType.CANCEL:
            case MessageType.REJECT_REQUEST:
                return dispatchBlockRef(buf.getInt(p, BIG), buf.getInt(p + 4, BIG), buf.getInt(p + 8, BIG), id,
                    peer, handler);
            case MessageType.PIECE:
                return dispatchPiece(buf, p, payloadLength - 8, peer, handler);
            case MessageType.BITFIELD:
                return dispatchBitfield(buf, p, payloadLength, peer, handler);
            case MessageType.PORT:
                handler.onPort(peer, buf.getShort(p, BIG) & 0xFFFF);
                return ProtocolViolation.NONE;
            case MessageType.EXTENDED:
                handler.onExtended(peer, buf.getByte(p) & 0xFF, buf, p + 1, payloadLength - 1);
                return ProtocolViolation.NONE;
            default:
                return ProtocolViolation.UNKNOWN_MESSAGE_ID; // unreachable: checkHeader refused it
        }
    }

    private <C> ProtocolViolation dispatchIndex(final int index, final int id, final C peer,
        final MessageHandler<C> handler)
    {
        final ProtocolViolation v = rules.checkIndex(index);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        if (id == MessageType.HAVE)
        {
            handler.onHave(peer, index);
        }
        else if (id == MessageType.SUGGEST_PIECE)
        {
            handler.onSuggestPiece(peer, index);
        }
        else
        {
            handler.onAllowedFast(peer, index);
        }
        return ProtocolViolation.NONE;
    }

    private <C> ProtocolViolation dispatchBlockRef(final int index, final int begin, final int length, final int id,
        final C peer, final MessageHandler<C> handler)
    {
        final ProtocolViolation v = rules.checkBlock(index, begin, length);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        if (id == MessageType.REQUEST)
        {
            handler.onRequest(peer, index, begin, length);
        }
        else if (id == MessageType.CANCEL)
        {
            handler.onCancel(peer, index, begin, length);
        }
        else
        {
            handler.onRejectRequest(peer, index, begin, length);
        }
        return ProtocolViolation.NONE;
    }

    private <C> ProtocolViolation dispatchPiece(final DirectBuffer buf, final int p, final int blockLength,
        final C peer, final MessageHandler<C> handler)
    {
        final int index = buf.getInt(p, BIG);
        final int begin = buf.getInt(p + 4, BIG);
        final ProtocolViolation v = rules.checkBlock(index, begin, blockLength);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        handler.onPiece(peer, index, begin, buf, p + 8, blockLength);
        return ProtocolViolation.NONE;
    }

    private <C> ProtocolViolation dispatchBitfield(final DirectBuffer buf, final int p, final int length,
        final C peer, final MessageHandler<C> handler)
    {
        final ProtocolViolation v = rules.checkBitfield(buf, p, length);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        handler.onBitfield(peer, buf, p, length);
        return ProtocolViolation.NONE;
    }
}
