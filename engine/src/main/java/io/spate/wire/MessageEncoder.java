package io.spate.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Static writers for every peer wire message. Each writes the whole frame (4-byte big-endian length prefix, id,
 * payload) at {@code buf[offset]} and returns the bytes written, except {@link #pieceHeader} and
 * {@link #extendedHeader} which write only the header of a frame whose body the caller sends separately.
 * No allocation; the buffer must have room (Agrona's bounds checks apply).
 */
public final class MessageEncoder
{
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX = 4;
    /** Length prefix + id. */
    public static final int HEADER_LENGTH = 5;
    /** Frame size of HAVE, SUGGEST_PIECE and ALLOWED_FAST. */
    public static final int HAVE_FRAME_LENGTH = 9;
    /** Frame size of REQUEST, CANCEL and REJECT_REQUEST. */
    public static final int REQUEST_FRAME_LENGTH = 17;
    /** Header of a PIECE frame: prefix, id, index, begin. */
    public static final int PIECE_HEADER_LENGTH = 13;
    /** Header of an EXTENDED frame: prefix, id, extended id. */
    public static final int EXTENDED_HEADER_LENGTH = 6;

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private MessageEncoder()
    {
    }

    public static int keepAlive(final MutableDirectBuffer buf, final int offset)
    {
        buf.putInt(offset, 0, BIG);
        return LENGTH_PREFIX;
    }

    public static int choke(final MutableDirectBuffer buf, final int offset)
    {
        return idOnly(buf, offset, MessageType.CHOKE);
    }

    public static int unchoke(final MutableDirectBuffer buf, final int offset)
    {
        return idOnly(buf, offset, MessageType.UNCHOKE);
    }

    public static int interested(final MutableDirectBuffer buf, final int offset)
    {
        return idOnly(buf, offset, MessageType.INTERESTED);
    }

    public static int notInterested(final MutableDirectBuffer buf, final int offset)
    {
        return idOnly(buf, offset, MessageType.NOT_INTERESTED);
    }

    public static int haveAll(final MutableDirectBuffer buf, final int offset)
    {
        return idOnly(buf, offset, MessageType.HAVE_ALL);
    }

    public static int haveNone(final MutableDirectBuffer buf, final int offset)
    {
        return idOnly(buf, offset, MessageType.HAVE_NONE);
    }

    public static int have(final MutableDirectBuffer buf, final int offset, final int index)
    {
        return oneInt(buf, offset, MessageType.HAVE, index);
    }

    public static int suggestPiece(final MutableDirectBuffer buf, final int offset, final int index)
    {
        return oneInt(buf, offset, MessageType.SUGGEST_PIECE, index);
    }

    public static int allowedFast(final MutableDirectBuffer buf, final int offset, final int index)
    {
        return oneInt(buf, offset, MessageType.ALLOWED_FAST, index);
    }

    public static final int PORT_FRAME_LENGTH = 7;

    /** BEP 5 PORT: the DHT node's UDP port as two bytes. */
    public static int port(final MutableDirectBuffer buf, final int offset, final int port)
    {
        buf.putInt(offset, 3, BIG);
        buf.putByte(offset + LENGTH_PREFIX, MessageType.PORT);
        buf.putShort(offset + HEADER_LENGTH, (short)port, BIG);
        return PORT_FRAME_LENGTH;
    }

    /**
     * The 5-byte header of a BITFIELD frame whose {@code byteLength} payload bytes the caller writes after it (a
     * bitfield that knows its own wire form writes itself, with no copy through a scratch array).
     *
     * @return {@link #HEADER_LENGTH}.
     */
    public static int bitfieldHeader(final MutableDirectBuffer buf, final int offset, final int byteLength)
    {
        header(buf, offset, 1 + byteLength, MessageType.BITFIELD);
        return HEADER_LENGTH;
    }

    /** BITFIELD with {@code bits[0, byteLength)} as payload. */
    public static int bitfield(final MutableDirectBuffer buf, final int offset, final byte[] bits, final int byteLength)
    {
        header(buf, offset, 1 + byteLength, MessageType.BITFIELD);
        buf.putBytes(offset + HEADER_LENGTH, bits, 0, byteLength);
        return HEADER_LENGTH + byteLength;
    }

    /** BITFIELD with {@code bits[0, byteLength)} as payload. */
    public static int bitfield(
        final MutableDirectBuffer buf, final int offset, final DirectBuffer bits, final int byteLength)
    {
        return bitfield(buf, offset, bits, 0, byteLength);
    }

    /** BITFIELD with {@code bits[bitsOffset, bitsOffset + byteLength)} as payload. */
    public static int bitfield(
        final MutableDirectBuffer buf,
        final int offset,
        final DirectBuffer bits,
        final int bitsOffset,
        final int byteLength)
    {
        header(buf, offset, 1 + byteLength, MessageType.BITFIELD);
        buf.putBytes(offset + HEADER_LENGTH, bits, bitsOffset, byteLength);
        return HEADER_LENGTH + byteLength;
    }

    public static int request(
        final MutableDirectBuffer buf, final int offset, final int index, final int begin, final int length)
    {
        return threeInts(buf, offset, MessageType.REQUEST, index, begin, length);
    }

    public static int cancel(
        final MutableDirectBuffer buf, final int offset, final int index, final int begin, final int length)
    {
        return threeInts(buf, offset, MessageType.CANCEL, index, begin, length);
    }

    public static int rejectRequest(
        final MutableDirectBuffer buf, final int offset, final int index, final int begin, final int length)
    {
        return threeInts(buf, offset, MessageType.REJECT_REQUEST, index, begin, length);
    }

    /**
     * The 13-byte header of a PIECE frame (length 9 + blockLength, id 7, index, begin); the caller sends the
     * {@code blockLength} bytes of the block after it (zero-copy from the file).
     *
     * @return {@link #PIECE_HEADER_LENGTH}.
     */
    public static int pieceHeader(
        final MutableDirectBuffer buf, final int offset, final int index, final int begin, final int blockLength)
    {
        header(buf, offset, 9 + blockLength, MessageType.PIECE);
        buf.putInt(offset + HEADER_LENGTH, index, BIG);
        buf.putInt(offset + HEADER_LENGTH + 4, begin, BIG);
        return PIECE_HEADER_LENGTH;
    }

    /** A whole PIECE frame with the block copied from {@code block[blockOffset, blockOffset + blockLength)}. */
    public static int piece(
        final MutableDirectBuffer buf,
        final int offset,
        final int index,
        final int begin,
        final DirectBuffer block,
        final int blockOffset,
        final int blockLength)
    {
        pieceHeader(buf, offset, index, begin, blockLength);
        buf.putBytes(offset + PIECE_HEADER_LENGTH, block, blockOffset, blockLength);
        return PIECE_HEADER_LENGTH + blockLength;
    }

    /**
     * A whole EXTENDED frame (BEP 10): length 2 + len, id 20, extId, then {@code payload[off, off + len)}.
     * extId 0 is the extension handshake.
     */
    public static int extended(
        final MutableDirectBuffer buf,
        final int offset,
        final int extId,
        final DirectBuffer payload,
        final int off,
        final int len)
    {
        extendedHeader(buf, offset, extId, len);
        buf.putBytes(offset + EXTENDED_HEADER_LENGTH, payload, off, len);
        return EXTENDED_HEADER_LENGTH + len;
    }

    /** As {@link #extended(MutableDirectBuffer, int, int, DirectBuffer, int, int)} from a byte array. */
    public static int extended(
        final MutableDirectBuffer buf, final int offset, final int extId, final byte[] payload, final int off,
        final int len)
    {
        extendedHeader(buf, offset, extId, len);
        buf.putBytes(offset + EXTENDED_HEADER_LENGTH, payload, off, len);
        return EXTENDED_HEADER_LENGTH + len;
    }

    /**
     * The 6-byte header of an EXTENDED frame whose {@code payloadLength} bytes the caller writes after it.
     *
     * @return {@link #EXTENDED_HEADER_LENGTH}.
     */
    public static int extendedHeader(
        final MutableDirectBuffer buf, final int offset, final int extId, final int payloadLength)
    {
        header(buf, offset, 2 + payloadLength, MessageType.EXTENDED);
        buf.putByte(offset + HEADER_LENGTH, (byte)extId);
        return EXTENDED_HEADER_LENGTH;
    }

    private static void header(final MutableDirectBuffer buf, final int offset, final int length, final byte id)
    {
        buf.putInt(offset, length, BIG);
        buf.putByte(offset + LENGTH_PREFIX, id);
    }

    /** A message that is its id alone (CHOKE, UNCHOKE, INTERESTED, NOT_INTERESTED, HAVE_ALL, HAVE_NONE). */
    public static int idOnly(final MutableDirectBuffer buf, final int offset, final byte id)
    {
        header(buf, offset, 1, id);
        return HEADER_LENGTH;
    }

    private static int oneInt(final MutableDirectBuffer buf, final int offset, final byte id, final int value)
    {
        header(buf, offset, 5, id);
        buf.putInt(offset + HEADER_LENGTH, value, BIG);
        return HAVE_FRAME_LENGTH;
    }

    /** REQUEST, CANCEL or REJECT_REQUEST by its id: index, begin, length. */
    public static int blockRef(
        final MutableDirectBuffer buf, final int offset, final byte id, final int index, final int begin,
        final int length)
    {
        return threeInts(buf, offset, id, index, begin, length);
    }

    private static int threeInts(
        final MutableDirectBuffer buf, final int offset, final byte id, final int a, final int b, final int c)
    {
        header(buf, offset, 13, id);
        buf.putInt(offset + HEADER_LENGTH, a, BIG);
        buf.putInt(offset + HEADER_LENGTH + 4, b, BIG);
        buf.putInt(offset + HEADER_LENGTH + 8, c, BIG);
        return REQUEST_FRAME_LENGTH;
    }
}
