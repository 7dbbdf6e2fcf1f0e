package io.spate.wire;

import static io.spate.wire.WireFixtures.BLOCK;
import static io.spate.wire.WireFixtures.LAST;
import static io.spate.wire.WireFixtures.LAST_PIECE_LENGTH;
import static io.spate.wire.WireFixtures.PIECES;
import static io.spate.wire.WireFixtures.PIECE_LENGTH;
import static io.spate.wire.WireFixtures.decoder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BiFunction;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Invalid input: each frame below breaks one rule; the decoder names it, dispatches nothing for it and stops.
 */
class WireInvalidMessagesTest
{
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private final RecordingHandler handler = new RecordingHandler();

    /** Decodes a valid HAVE then the bad frame then a valid CHOKE: only the HAVE may be dispatched. */
    private void assertViolation(
        final ProtocolViolation expected, final MessageDecoder decoder,
        final BiFunction<MutableDirectBuffer, Integer, Integer> writer)
    {
        final UnsafeBuffer buf = WireFixtures.buffer(1024);
        int n = MessageEncoder.have(buf, 0, 1);
        final int bad = n;
        n += writer.apply(buf, n);
        n += MessageEncoder.choke(buf, n);
        handler.events.clear();
        assertEquals(-1, decoder.decode(buf, 0, n, null, handler), expected.name());
        assertEquals(expected, decoder.violation());
        assertEquals(bad, decoder.violationOffset());
        assertEquals(List.of("HAVE 1"), handler.events);
    }

    private void assertViolation(
        final ProtocolViolation expected, final BiFunction<MutableDirectBuffer, Integer, Integer> writer)
    {
        assertViolation(expected, decoder(), writer);
    }

    /** A frame with the given length prefix and id, followed by {@code payload} zero bytes. */
    private static BiFunction<MutableDirectBuffer, Integer, Integer> raw(final int prefix, final int id,
        final int payload)
    {
        return (b, o) ->
        {
            b.putInt(o, prefix, BIG);
            b.putByte(o + 4, (byte)id);
            b.setMemory(o + 5, payload, (byte)0);
            return 5 + payload;
        };
    }

    @Test
    void unknownMessageIds()
    {
        for (final int id : new int[] {10, 11, 12, 18, 19, 21, 22, 23, 0x7F, 0x80, 0xFF})
        {
            assertViolation(ProtocolViolation.UNKNOWN_MESSAGE_ID, raw(1, id, 0));
        }
    }

    @Test
    void wrongPayloadLengthForFixedSizeMessages()
    {
        for (final int id : new int[] {MessageType.CHOKE, MessageType.UNCHOKE, MessageType.INTERESTED,
            MessageType.NOT_INTERESTED, MessageType.HAVE_ALL, MessageType.HAVE_NONE})
        {
            assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(2, id, 1));
        }
        for (final int id : new int[] {MessageType.HAVE, MessageType.SUGGEST_PIECE, MessageType.ALLOWED_FAST})
        {
            assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(4, id, 3));
            assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(6, id, 5));
            assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(1, id, 0));
        }
        for (final int id : new int[] {MessageType.REQUEST, MessageType.CANCEL, MessageType.REJECT_REQUEST})
        {
            assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(12, id, 11));
            assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(14, id, 13));
        }
        assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(2, MessageType.PORT, 1));
        assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(4, MessageType.PORT, 3));
        assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(8, MessageType.PIECE, 7));
        assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(1, MessageType.PIECE, 0));
        assertViolation(ProtocolViolation.BAD_PAYLOAD_LENGTH, raw(1, MessageType.EXTENDED, 0));
    }

    @Test
    void headerViolationsAreFoundFromTheFirstFiveBytes()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(5);
        buf.putInt(0, 100, BIG);
        buf.putByte(4, MessageType.HAVE);
        final MessageDecoder decoder = decoder();
        assertEquals(-1, decoder.decode(buf, 0, 5, null, handler));
        assertEquals(ProtocolViolation.BAD_PAYLOAD_LENGTH, decoder.violation());
        assertEquals(MessageType.HAVE, decoder.violationMessageId());
    }

    @Test
    void pieceIndexOutOfRange()
    {
        for (final int index : new int[] {PIECES, PIECES + 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
        {
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE, (b, o) -> MessageEncoder.have(b, o, index));
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE,
                (b, o) -> MessageEncoder.suggestPiece(b, o, index));
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE,
                (b, o) -> MessageEncoder.allowedFast(b, o, index));
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE,
                (b, o) -> MessageEncoder.request(b, o, index, 0, BLOCK));
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE,
                (b, o) -> MessageEncoder.cancel(b, o, index, 0, BLOCK));
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE,
                (b, o) -> MessageEncoder.rejectRequest(b, o, index, 0, BLOCK));
            assertViolation(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE,
                (b, o) -> MessageEncoder.piece(b, o, index, 0, WireFixtures.buffer(4), 0, 4));
        }
    }

    @Test
    void blockOutOfBounds()
    {
        // one byte past an ordinary piece, and past the shorter last piece
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.request(b, o, 0, PIECE_LENGTH - BLOCK + 1, BLOCK));
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.cancel(b, o, LAST, LAST_PIECE_LENGTH - BLOCK + 1, BLOCK));
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.rejectRequest(b, o, LAST, LAST_PIECE_LENGTH, 1));
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.piece(b, o, LAST, LAST_PIECE_LENGTH - 3, WireFixtures.buffer(4), 0, 4));
        // begin negative as int (2^31 or more unsigned), and begin + length overflowing an int
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.request(b, o, 0, -1, BLOCK));
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.request(b, o, 0, Integer.MAX_VALUE, BLOCK));
        assertViolation(ProtocolViolation.BLOCK_OUT_OF_BOUNDS,
            (b, o) -> MessageEncoder.piece(b, o, 0, Integer.MIN_VALUE, WireFixtures.buffer(4), 0, 4));
    }

    @Test
    void blockTooLarge()
    {
        assertViolation(ProtocolViolation.BLOCK_TOO_LARGE,
            (b, o) -> MessageEncoder.request(b, o, 0, 0, MessageDecoder.MAX_BLOCK_LENGTH + 1));
        assertViolation(ProtocolViolation.BLOCK_TOO_LARGE,
            (b, o) -> MessageEncoder.cancel(b, o, 0, 0, Integer.MIN_VALUE));
        assertViolation(ProtocolViolation.BLOCK_TOO_LARGE,
            (b, o) -> MessageEncoder.rejectRequest(b, o, 0, 0, -BLOCK));
    }

    @Test
    void emptyBlock()
    {
        assertViolation(ProtocolViolation.EMPTY_BLOCK, (b, o) -> MessageEncoder.request(b, o, 0, 0, 0));
        assertViolation(ProtocolViolation.EMPTY_BLOCK, (b, o) -> MessageEncoder.cancel(b, o, 0, BLOCK, 0));
        assertViolation(ProtocolViolation.EMPTY_BLOCK, (b, o) -> MessageEncoder.rejectRequest(b, o, 0, 0, 0));
        assertViolation(ProtocolViolation.EMPTY_BLOCK, (b, o) -> MessageEncoder.pieceHeader(b, o, 0, 0, 0));
    }

    @Test
    void bitfieldWrongLength()
    {
        assertViolation(ProtocolViolation.BITFIELD_WRONG_LENGTH,
            (b, o) -> MessageEncoder.bitfield(b, o, new byte[] {(byte)0xFF}, 1));
        assertViolation(ProtocolViolation.BITFIELD_WRONG_LENGTH,
            (b, o) -> MessageEncoder.bitfield(b, o, new byte[3], 3));
        assertViolation(ProtocolViolation.BITFIELD_WRONG_LENGTH,
            (b, o) -> MessageEncoder.bitfield(b, o, new byte[0], 0));
    }

    @Test
    void bitfieldSpareBitsSet()
    {
        // 13 pieces: the last byte holds pieces 8..12 in its top 5 bits; each of the 3 low bits is spare
        for (final int spare : new int[] {0x01, 0x02, 0x04, 0x07})
        {
            assertViolation(ProtocolViolation.BITFIELD_SPARE_BITS_SET,
                (b, o) -> MessageEncoder.bitfield(b, o, new byte[] {0, (byte)(0xF8 | spare)}, 2));
        }
    }

    @Test
    void bitfieldWithoutSpareBitsHasNoSpareCheck()
    {
        final MessageDecoder decoder = new MessageDecoder(16, BLOCK, BLOCK, MessageDecoder.DEFAULT_MAX_FRAME_LENGTH);
        final UnsafeBuffer buf = WireFixtures.buffer(8);
        final int n = MessageEncoder.bitfield(buf, 0, new byte[] {(byte)0xFF, (byte)0xFF}, 2);
        assertEquals(n, decoder.decode(buf, 0, n, null, handler));
        assertEquals(List.of("BITFIELD ffff"), handler.events);
    }

    @Test
    void fastMessagesWhenFastIsNotNegotiated()
    {
        final MessageDecoder decoder = decoder();
        decoder.fastEnabled(false);
        final ProtocolViolation v = ProtocolViolation.FAST_MESSAGE_NOT_NEGOTIATED;
        assertViolation(v, decoder, MessageEncoder::haveAll);
        assertViolation(v, decoder, MessageEncoder::haveNone);
        assertViolation(v, decoder, (b, o) -> MessageEncoder.suggestPiece(b, o, 0));
        assertViolation(v, decoder, (b, o) -> MessageEncoder.allowedFast(b, o, 0));
        assertViolation(v, decoder, (b, o) -> MessageEncoder.rejectRequest(b, o, 0, 0, BLOCK));
    }

    @Test
    void extendedWhenExtensionProtocolIsNotNegotiated()
    {
        final MessageDecoder decoder = decoder();
        decoder.extendedEnabled(false);
        assertViolation(ProtocolViolation.EXTENDED_NOT_NEGOTIATED, decoder,
            (b, o) -> MessageEncoder.extended(b, o, 0, new byte[] {'d', 'e'}, 0, 2));
    }

    @Test
    void lengthTooLargeIsNamedToo()
    {
        assertViolation(ProtocolViolation.LENGTH_TOO_LARGE, raw(MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 1, 7, 0));
    }

    @Test
    void violationIsClearedByTheNextCall()
    {
        final MessageDecoder decoder = decoder();
        final UnsafeBuffer buf = WireFixtures.buffer(16);
        MessageEncoder.have(buf, 0, PIECES);
        assertEquals(-1, decoder.decode(buf, 0, 9, null, handler));
        assertEquals(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE, decoder.violation());
        assertEquals(MessageType.HAVE, decoder.violationMessageId());
        MessageEncoder.have(buf, 0, 0);
        assertEquals(9, decoder.decode(buf, 0, 9, null, handler));
        assertEquals(ProtocolViolation.NONE, decoder.violation());
        assertEquals(-1, decoder.violationOffset());
    }
}
