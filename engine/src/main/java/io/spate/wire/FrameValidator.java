package io.spate.wire;

import org.agrona.DirectBuffer;

/**
 * The rules a frame must meet before {@link MessageDecoder} dispatches it: torrent geometry, negotiated extensions
 * and the size of every message. Owned by one decoder; each check returns {@link ProtocolViolation#NONE} or the
 * rule broken. A piece count of 0 means the geometry is not known yet: index, bounds and bitfield length pass.
 */
final class FrameValidator
{
    private final int configuredMaxFrameLength;
    private int maxFrameLength;
    private int pieceCount;
    private int pieceLength;
    private int lastPieceLength;
    private int bitfieldLength;
    boolean fastEnabled;
    boolean extendedEnabled;

    FrameValidator(final int maxFrameLength)
    {
        if (maxFrameLength < 1)
        {
            throw new IllegalArgumentException("maxFrameLength must be positive: " + maxFrameLength);
        }
        this.configuredMaxFrameLength = maxFrameLength;
        this.maxFrameLength = maxFrameLength;
    }

    void geometry(final int pieceCount, final int pieceLength, final int lastPieceLength)
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

    int maxFrameLength()
    {
        return maxFrameLength;
    }

    int pieceCount()
    {
        return pieceCount;
    }

    int bitfieldLength()
    {
        return bitfieldLength;
    }

    int pieceLength(final int index)
    {
        // branch-free for the JIT, as PiecePicker.pieceLength: 1 for every piece but the last, 0 for it
        final int notLast = Math.min(pieceCount - 1 - index, 1);
        return lastPieceLength + notLast * (pieceLength - lastPieceLength);
    }

    /** A length prefix read as a signed int: negative means 2^31 or more. */
    boolean lengthTooLarge(final int length)
    {
        return length < 0 || length > maxFrameLength;
    }

    /** Checks that need only the length prefix (1 or more) and the id. */
    ProtocolViolation checkHeader(final int id, final int length)
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
        return block > MessageDecoder.MAX_BLOCK_LENGTH ? ProtocolViolation.BLOCK_TOO_LARGE : ProtocolViolation.NONE;
    }

    ProtocolViolation checkIndex(final int index)
    {
        return pieceCount == 0 || (index >= 0 && index < pieceCount) ?
            ProtocolViolation.NONE : ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE;
    }

    /** A block reference (REQUEST, CANCEL, REJECT_REQUEST, PIECE): index, 1..128 KiB, within its piece. */
    ProtocolViolation checkBlock(final int index, final int begin, final int length)
    {
        final ProtocolViolation v = checkIndex(index);
        if (v != ProtocolViolation.NONE)
        {
            return v;
        }
        if (length == 0)
        {
            return ProtocolViolation.EMPTY_BLOCK;
        }
        if (length < 0 || length > MessageDecoder.MAX_BLOCK_LENGTH)
        {
            return ProtocolViolation.BLOCK_TOO_LARGE;
        }
        if (begin < 0 || (pieceCount > 0 && (long)begin + length > pieceLength(index)))
        {
            return ProtocolViolation.BLOCK_OUT_OF_BOUNDS;
        }
        return ProtocolViolation.NONE;
    }

    /** Spare bits past the last piece must be zero (the length was checked with the header). */
    ProtocolViolation checkBitfield(final DirectBuffer buf, final int p, final int length)
    {
        final int used = pieceCount & 7;
        if (pieceCount > 0 && used != 0 && ((buf.getByte(p + length - 1) & 0xFF) & (0xFF >>> used)) != 0)
        {
            return ProtocolViolation.BITFIELD_SPARE_BITS_SET;
        }
        return ProtocolViolation.NONE;
    }
}
