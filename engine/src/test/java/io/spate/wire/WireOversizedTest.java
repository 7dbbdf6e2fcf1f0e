package io.spate.wire;

import static io.spate.wire.WireFixtures.decoder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Oversized input: length prefixes past the limit are refused as soon as the 4 prefix bytes are present.
 */
class WireOversizedTest
{
    private final RecordingHandler handler = new RecordingHandler();

    private void assertTooLarge(final int prefix)
    {
        final UnsafeBuffer buf = WireFixtures.buffer(16);
        buf.putInt(0, prefix, java.nio.ByteOrder.BIG_ENDIAN);
        buf.putByte(4, MessageType.PIECE);
        for (final int available : new int[] {4, 5, 16})
        {
            final MessageDecoder decoder = decoder();
            assertEquals(-1, decoder.decode(buf, 0, available, null, handler), "prefix " + prefix);
            assertEquals(ProtocolViolation.LENGTH_TOO_LARGE, decoder.violation());
            assertEquals(0, decoder.violationOffset());
        }
        assertEquals(List.of(), handler.events);
    }

    @Test
    void largestIntPrefixIsRefused()
    {
        assertTooLarge(Integer.MAX_VALUE);
    }

    @Test
    void prefixesWithTheTopBitSetAreRefused()
    {
        assertTooLarge(0xFFFFFFFF);
        assertTooLarge(Integer.MIN_VALUE);
        assertTooLarge(0x80000001);
    }

    @Test
    void oneByteOverTheLimitIsRefusedAndTheLimitItselfIsNot()
    {
        assertTooLarge(MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 1);

        final MessageDecoder decoder = decoder();
        final int payload = MessageDecoder.DEFAULT_MAX_FRAME_LENGTH - 2;
        final UnsafeBuffer buf = WireFixtures.buffer(MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 4);
        final int n = MessageEncoder.extended(buf, 0, 1, WireFixtures.buffer(payload), 0, payload);
        assertEquals(MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 4, n);
        assertEquals(n, decoder.decode(buf, 0, n, null, handler));
        assertEquals(1, handler.events.size());
    }

    @Test
    void aConfiguredSmallerLimitIsEnforced()
    {
        final MessageDecoder decoder = new MessageDecoder(WireFixtures.PIECES, WireFixtures.PIECE_LENGTH,
            WireFixtures.LAST_PIECE_LENGTH, 100);
        decoder.extendedEnabled(true);
        final UnsafeBuffer buf = WireFixtures.buffer(200);
        MessageEncoder.extended(buf, 0, 1, WireFixtures.buffer(99), 0, 99);
        assertEquals(-1, decoder.decode(buf, 0, 200, null, handler));
        assertEquals(ProtocolViolation.LENGTH_TOO_LARGE, decoder.violation());
        MessageEncoder.extended(buf, 0, 1, WireFixtures.buffer(98), 0, 98);
        assertEquals(104, decoder.decode(buf, 0, 104, null, handler));
    }

    @Test
    void limitGrowsToFitTheBitfieldOfAHugeTorrent()
    {
        final int pieces = 2_000_001; // 250_001 bitfield bytes, larger than the default frame limit
        final MessageDecoder decoder = new MessageDecoder(pieces, 16384, 1, MessageDecoder.DEFAULT_MAX_FRAME_LENGTH);
        assertEquals(250_002, decoder.maxFrameLength());
        final UnsafeBuffer buf = WireFixtures.buffer(250_010);
        final int n = MessageEncoder.bitfield(buf, 0, new byte[250_001], 250_001);
        final int[] length = new int[1];
        final RecordingHandler bitfield = new RecordingHandler()
        {
            @Override
            public void onBitfield(final Object peer, final org.agrona.DirectBuffer b, final int offset, final int len)
            {
                length[0] = len;
            }
        };
        assertEquals(n, decoder.decode(buf, 0, n, null, bitfield));
        assertEquals(250_001, length[0]);

        // the grown limit is only for the bitfield: any other frame that long is still refused as too large a block
        MessageEncoder.pieceHeader(buf, 0, 0, 0, 250_001 - 8);
        assertEquals(-1, decoder.decode(buf, 0, 13, null, handler));
        assertEquals(ProtocolViolation.BLOCK_TOO_LARGE, decoder.violation());
    }

    @Test
    void pieceOneByteLongerThanTheLargestBlockIsRefusedFromItsHeader()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(13);
        MessageEncoder.pieceHeader(buf, 0, 0, 0, MessageDecoder.MAX_BLOCK_LENGTH + 1);
        final MessageDecoder decoder = new MessageDecoder(1, 1 << 20, 1 << 20, 1 << 21);
        assertEquals(-1, decoder.decode(buf, 0, 5, null, handler));
        assertEquals(ProtocolViolation.BLOCK_TOO_LARGE, decoder.violation());
    }

    @Test
    void requestForMoreThanTheLargestBlockIsRefused()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(17);
        final MessageDecoder decoder = decoder();
        MessageEncoder.request(buf, 0, 0, 0, MessageDecoder.MAX_BLOCK_LENGTH + 1);
        assertEquals(-1, decoder.decode(buf, 0, 17, null, handler));
        assertEquals(ProtocolViolation.BLOCK_TOO_LARGE, decoder.violation());
        MessageEncoder.request(buf, 0, 0, 0, -1); // 2^32 - 1 as unsigned
        assertEquals(-1, decoder.decode(buf, 0, 17, null, handler));
        assertEquals(ProtocolViolation.BLOCK_TOO_LARGE, decoder.violation());
    }

    @Test
    void peekSaturatesHugePrefixesInsteadOfGoingNegative()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(4);
        buf.putInt(0, 0xFFFFFFFF, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(Integer.MAX_VALUE, MessageDecoder.peekFrameLength(buf, 0, 4));
        buf.putInt(0, Integer.MAX_VALUE, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(Integer.MAX_VALUE, MessageDecoder.peekFrameLength(buf, 0, 4));
    }
}
