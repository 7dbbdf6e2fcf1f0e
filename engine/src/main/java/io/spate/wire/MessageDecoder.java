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

    private final int configuredMaxFrameLength;
    private int maxFrameLength;
    private int pieceCount;
    private int pieceLength;
    private int lastPieceLength;
    private int bitfieldLength;
    private boolean fastEnabled;
    private boolean extendedEnabled;
    private ProtocolViolation violation = ProtocolViolation.NONE;
    private int violationOffset = -1;
    private int violationMessageId = -1;

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
        if (maxFrameLength < 1)
        {
            throw new IllegalArgumentException("maxFrameLength must be positive: " + maxFrameLength);
        }
        this.configuredMaxFrameLength = maxFrameLength;
        geometry(pieceCount, pieceLength, lastPieceLength);
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
        if (pieceCount < 0)
        {
            throw new IllegalArgumentException("pieceCount must not be negative: " + pieceCount);
        }
        if (pieceCount > 0 && (pieceLength < 1 || lastPieceLength < 1 || lastPieceLength > pieceLength))
        {
            throw new IllegalArgumentException("bad piece geometry: pieceLength=" + pieceLength +
                " lastPieceLength=" + lastPieceLength);
        }
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.lastPieceLength = lastPieceLength;
        this.bitfieldLength = (int)((pieceCount + 7L) / 8);
        this.maxFrameLength = Math.max(configuredMaxFrameLength, 1 + bitfieldLength);
    }

    public void fastEnabled(final boolean enabled)
    {
        this.fastEnabled = enabled;
    }

    public void extendedEnabled(final boolean enabled)
    {
        this.extendedEnabled = enabled;
    }

    public boolean fastEnabled()
    {
        return fastEnabled;
    }

    public boolean extendedEnabled()
    {
        return extendedEnabled;
    }

    /** @return the largest length prefix accepted: max(configured, 1 + bitfield bytes). */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    public int pieceCount()
    {
        return pieceCount;
    }

    /** @return bytes of a valid bitfield payload, ceil(pieceCount / 8). */
    public int bitfieldLength()
    {
        return bitfieldLength;
    }

    /** @return length of piece {@code index} (the last piece may be shorter); index must be in range. */
    public int pieceLength(final int index)
    {
        return index == pieceCount - 1 ? lastPieceLength : pieceLength;
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
    public int decode(final DirectBuffer buf, final int offset, final int available, final MessageHandler handler)
    {
        return decode(buf, offset, available, handler, Integer.MAX_VALUE);
    }

    /**
     * As {@link #decode(DirectBuffer, int, int, MessageHandler)} but dispatching at most {@code frameLimit} frames
     * (keep-alives included), so a caller can stop when a downstream queue is full.
     */
    public int decode(
        final DirectBuffer buf,
        final int offset,
        final int available,
        final MessageHandler handler,
        final int frameLimit)
    {
        violation = ProtocolViolation.NONE;
        violationOffset = -1;
        violationMessageId = -1;
        if (offset < 0 || available <= 0 || offset > buf.capacity())
        {
            return 0;
        }
        final int end = offset + Math.min(available, buf.capacity() - offset);
        int pos = offset;
        int frames = 0;
        while (frames < frameLimit && end - pos >= PREFIX)
        {
            final int length = buf.getInt(pos, BIG);
            if (length < 0 || length > maxFrameLength)
            {
                return fail(ProtocolViolation.LENGTH_TOO_LARGE, pos, -1);
            }
            if (length == 0)
            {
                handler.onKeepAlive();
                pos += PREFIX;
                frames++;
                continue;
            }
            if (end - pos < HEADER)
            {
                break;
            }
            final int id = buf.getByte(pos + PREFIX) & 0xFF;
            ProtocolViolation v = checkHeader(id, length);
            if (v != ProtocolViolation.NONE)
            {
                return fail(v, pos, id);
            }
            if (end - pos - PREFIX < length)
            {
                break;
            }
            v = dispatch(buf, pos + HEADER, id, length - 1, handler);
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

    /** Checks that need only the length prefix and the id. */
    private ProtocolViolation checkHeader(final int id, final int length)
    {
        switch (id)
        {
            case MessageType.CHOKE:
            case MessageType.UNCHOKE:
            case MessageType.INTERESTED:
            case MessageType.NOT_INTERESTED:
                return exact(length, 1);
            case MessageType.HAVE:
                return exact(length, 5);
            case MessageType.BITFIELD:
                return pieceCount > 0 && length != 1 + bitfieldLength ?
                    ProtocolViolation.BITFIELD_WRONG_LENGTH : ProtocolViolation.NONE;
            case MessageType.REQUEST:
            case MessageType.CANCEL:
                return exact(length, 13);
            case MessageType.PIECE:
                return checkPieceLength(length);
            case MessageType.PORT:
                return exact(length, 3);
            case MessageType.HAVE_ALL:
            case MessageType.HAVE_NONE:
                return fastEnabled ? exact(length, 1) : ProtocolViolation.FAST_MESSAGE_NOT_NEGOTIATED;
            case MessageType.SUGGEST_PIECE:
            case MessageType.ALLOWED_FAST:
                return fastEnabled ? exact(length, 5) : ProtocolViolation.FAST_MESSAGE_NOT_NEGOTIATED;
            case MessageType.REJECT_REQUEST:
                return fastEnabled ? exact(length, 13) : ProtocolViolation.FAST_MESSAGE_NOT_NEGOTIATED;
            case MessageType.EXTENDED:
                if (!extendedEnabled)
                {
                    return ProtocolViolation.EXTENDED_NOT_NEGOTIATED;
                }
                return length < 2 ? ProtocolViolation.BAD_PAYLOAD_LENGTH : ProtocolViolation.NONE;
            default:
                return ProtocolViolation.UNKNOWN_MESSAGE_ID;
        }
    }

    private static ProtocolViolation exact(final int length, final int expected)
    {
        return length == expected ? ProtocolViolation.NONE : ProtocolViolation.BAD_PAYLOAD_LENGTH;
    }

    private static ProtocolViolation checkPieceLength(final int length)
    {
        if (length < 9)
        {
            return ProtocolViolation.BAD_PAYLOAD_LENGTH;
        }
        final int block = length - 9;
        if (block == 0)
        {
            return ProtocolViolation.EMPTY_BLOCK;
        }
        return block > MAX_BLOCK_LENGTH ? ProtocolViolation.BLOCK_TOO_LARGE : ProtocolViolation.NONE;
    }

    /** Checks the fields of a whole frame and, if valid, calls the handler. p is the first payload byte. */
    private ProtocolViolation dispatch(
        final DirectBuffer buf, final int p, final int id, final int payloadLength, final MessageHandler handler)
    {
        switch (id)
        {
            case MessageType.CHOKE:
                handler.onChoke();
                return ProtocolViolation.NONE;
            case MessageType.UNCHOKE:
                handler.onUnchoke();
                return ProtocolViolation.NONE;
            case MessageType.INTERESTED:
                handler.onInterested();
                return ProtocolViolation.NONE;
            case MessageType.NOT_INTERESTED:
                handler.onNotInterested();
                return ProtocolViolation.NONE;
            case MessageType.HAVE_ALL:
                handler.onHaveAll();
                return ProtocolViolation.NONE;
            case MessageType.HAVE_NONE:
                handler.onHaveNone();
                return ProtocolViolation.NONE;
            case MessageType.HAVE:
            case MessageType.SUGGEST_PIECE:
            case MessageType.ALLOWED_FAST:
                return dispatchIndex(buf.getInt(p, BIG), id, handler);
            case MessageType.REQUEST:
            case MessageType.CANCEL:
            case MessageType.REJECT_REQUEST:
                return dispatchBlockRef(buf.getInt(p, BIG), buf.getInt(p + 4, BIG), buf.getInt(p + 8, BIG), id,
                    handler);
            case MessageType.PIECE:
                return dispatchPiece(buf, p, payloadLength - 8, handler);
            case MessageType.BITFIELD:
                return dispatchBitfield(buf, p, payloadLength, handler);
            case MessageType.PORT:
                handler.onPort(buf.getShort(p, BIG) & 0xFFFF);
                return ProtocolViolation.NONE;
            case MessageType.EXTENDED:
                handler.onExtended(buf.getByte(p) & 0xFF, buf, p + 1, payloadLength - 1);
                return ProtocolViolation.NONE;
            default:
                return ProtocolViolation.UNKNOWN_MESSAGE_ID; // unreachable: checkHeader refused it
        }
    }

    private boolean indexInRange(final int index)
    {
        return pieceCount == 0 || (index >= 0 && index < pieceCount);
    }

    private ProtocolViolation dispatchIndex(final int index, final int id, final MessageHandler handler)
    {
        if (!indexInRange(index))
        {
            return ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE;
        }
        if (id == MessageType.HAVE)
        {
            handler.onHave(index);
        }
        else if (id == MessageType.SUGGEST_PIECE)
        {
            handler.onSuggestPiece(index);
        }
        else
        {
            handler.onAllowedFast(index);
        }
        return ProtocolViolation.NONE;
    }

    private ProtocolViolation checkBlock(final int index, final int begin, final int length)
    {
        if (!indexInRange(index))
        {
            return ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE;
        }
        if (length == 0)
        {
            return ProtocolViolation.EMPTY_BLOCK;
        }
        if (length < 0 || length > MAX_BLOCK_LENGTH)
        {
            return ProtocolViolation.BLOCK_TOO_LARGE;
        }
        if (begin < 0 || (pieceCount > 0 && (long)begin + length > pieceLength(index)))
        {
            return ProtocolViolation.BLOCK_OUT_OF_BOUNDS;
        }
        return ProtocolViolation.NONE;
    }

    private ProtocolViolation dispatchBlockRef(
        final int index, final int begin, final int length, final int id, final MessageHandler handler)
    {
        final ProtocolViolation v = checkBlock(index, begin, length);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        if (id == MessageType.REQUEST)
        {
            handler.onRequest(index, begin, length);
        }
        else if (id == MessageType.CANCEL)
        {
            handler.onCancel(index, begin, length);
        }
        else
        {
            handler.onRejectRequest(index, begin, length);
        }
        return ProtocolViolation.NONE;
    }

    private ProtocolViolation dispatchPiece(
        final DirectBuffer buf, final int p, final int blockLength, final MessageHandler handler)
    {
        final int index = buf.getInt(p, BIG);
        final int begin = buf.getInt(p + 4, BIG);
        final ProtocolViolation v = checkBlock(index, begin, blockLength);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        handler.onPiece(index, begin, buf, p + 8, blockLength);
        return ProtocolViolation.NONE;
    }

    private ProtocolViolation dispatchBitfield(
        final DirectBuffer buf, final int p, final int length, final MessageHandler handler)
    {
        final int spare = pieceCount & 7;
        if (pieceCount > 0 && spare != 0)
        {
            final int lastByte = buf.getByte(p + length - 1) & 0xFF;
            if ((lastByte & (0xFF >>> spare)) != 0)
            {
                return ProtocolViolation.BITFIELD_SPARE_BITS_SET;
            }
        }
        handler.onBitfield(buf, p, length);
        return ProtocolViolation.NONE;
    }
}
