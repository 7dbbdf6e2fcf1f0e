package io.spate.wire;

import static io.spate.wire.WireFixtures.BLOCK;
import static io.spate.wire.WireFixtures.LAST;
import static io.spate.wire.WireFixtures.LAST_PIECE_LENGTH;
import static io.spate.wire.WireFixtures.PIECE_LENGTH;
import static io.spate.wire.WireFixtures.buffer;
import static io.spate.wire.WireFixtures.decoder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiFunction;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Valid input: every message encodes to the bytes the BEPs define and decodes back to the same fields.
 */
class WireValidMessagesTest
{
    private final RecordingHandler handler = new RecordingHandler();

    /** Encodes one message at offset 3 (so offsets are honoured), checks its bytes, decodes it, returns the event. */
    private String roundTrip(final String expectedHex, final BiFunction<MutableDirectBuffer, Integer, Integer> writer)
    {
        final UnsafeBuffer buf = buffer(300_000);
        final int written = writer.apply(buf, 3);
        assertEquals(expectedHex, RecordingHandler.hex(buf, 3, written));
        final MessageDecoder decoder = decoder();
        handler.events.clear();
        assertEquals(written, decoder.decode(buf, 3, written, null, handler));
        assertEquals(ProtocolViolation.NONE, decoder.violation());
        assertEquals(1, handler.events.size());
        return handler.events.get(0);
    }

    @Test
    void fixedMessagesHaveTheirBep3Bytes()
    {
        assertEquals("KEEP_ALIVE", roundTrip("00000000", MessageEncoder::keepAlive));
        assertEquals("CHOKE", roundTrip("0000000100", MessageEncoder::choke));
        assertEquals("UNCHOKE", roundTrip("0000000101", MessageEncoder::unchoke));
        assertEquals("INTERESTED", roundTrip("0000000102", MessageEncoder::interested));
        assertEquals("NOT_INTERESTED", roundTrip("0000000103", MessageEncoder::notInterested));
    }

    @Test
    void indexMessagesAreBigEndian()
    {
        assertEquals("HAVE 12", roundTrip("00000005040000000c", (b, o) -> MessageEncoder.have(b, o, 12)));
        assertEquals("SUGGEST_PIECE 1",
            roundTrip("000000050d00000001", (b, o) -> MessageEncoder.suggestPiece(b, o, 1)));
        assertEquals("ALLOWED_FAST 0", roundTrip("000000051100000000", (b, o) -> MessageEncoder.allowedFast(b, o, 0)));
    }

    @Test
    void requestCancelAndRejectCarryIndexBeginLength()
    {
        assertEquals("REQUEST 1 16384 16384", roundTrip("0000000d06" + "00000001" + "00004000" + "00004000",
            (b, o) -> MessageEncoder.request(b, o, 1, BLOCK, BLOCK)));
        assertEquals("CANCEL 2 0 1", roundTrip("0000000d08" + "00000002" + "00000000" + "00000001",
            (b, o) -> MessageEncoder.cancel(b, o, 2, 0, 1)));
        assertEquals("REJECT_REQUEST 12 99999 1", roundTrip("0000000d10" + "0000000c" + "0001869f" + "00000001",
            (b, o) -> MessageEncoder.rejectRequest(b, o, LAST, LAST_PIECE_LENGTH - 1, 1)));
    }

    @Test
    void largestLegalRequestEndsExactlyAtThePieceEnd()
    {
        final int begin = PIECE_LENGTH - MessageDecoder.MAX_BLOCK_LENGTH;
        assertEquals("REQUEST 0 131072 131072", roundTrip("0000000d06" + "00000000" + "00020000" + "00020000",
            (b, o) -> MessageEncoder.request(b, o, 0, begin, MessageDecoder.MAX_BLOCK_LENGTH)));
    }

    @Test
    void pieceHeaderIsThirteenBytesAndTheBlockFollows()
    {
        final UnsafeBuffer buf = buffer(64);
        assertEquals(13, MessageEncoder.pieceHeader(buf, 0, 5, BLOCK, 3));
        assertEquals("0000000c07" + "00000005" + "00004000", RecordingHandler.hex(buf, 0, 13));
        buf.putBytes(13, new byte[] {9, 8, 7});
        assertEquals(16, decoder().decode(buf, 0, 16, null, handler));
        assertEquals(List.of("PIECE 5 16384 090807"), handler.events);
    }

    @Test
    void fullBlockPieceIsAccepted()
    {
        final UnsafeBuffer block = buffer(MessageDecoder.MAX_BLOCK_LENGTH);
        block.setMemory(0, block.capacity(), (byte)0x5A);
        final UnsafeBuffer buf = buffer(200_000);
        final int n = MessageEncoder.piece(buf, 0, 0, 0, block, 0, block.capacity());
        assertEquals(MessageDecoder.DEFAULT_MAX_FRAME_LENGTH, n);
        final int[] seen = new int[1];
        final RecordingHandler counting = new RecordingHandler()
        {
            @Override
            public void onPiece(final Object peer,
                final int index, final int begin, final org.agrona.DirectBuffer b, final int offset,
                final int length)
            {
                seen[0] = length;
                assertEquals(13, offset);
                assertEquals(0x5A, b.getByte(offset + length - 1));
            }
        };
        assertEquals(n, decoder().decode(buf, 0, n, null, counting));
        assertEquals(MessageDecoder.MAX_BLOCK_LENGTH, seen[0]);
    }

    @Test
    void bitfieldPortAndHaveAllNone()
    {
        assertEquals("BITFIELD fff8", roundTrip("0000000305fff8",
            (b, o) -> MessageEncoder.bitfield(b, o, new byte[] {(byte)0xFF, (byte)0xF8}, 2)));
        final UnsafeBuffer bits = WireFixtures.bytes(0, 0, 0x80, 0x08);
        assertEquals("BITFIELD 8008", roundTrip("00000003058008",
            (b, o) -> MessageEncoder.bitfield(b, o, bits, 2, 2)));
        assertEquals("PORT 65535", roundTrip("0000000309ffff", (b, o) -> MessageEncoder.port(b, o, 65535)));
        assertEquals("HAVE_ALL", roundTrip("000000010e", MessageEncoder::haveAll));
        assertEquals("HAVE_NONE", roundTrip("000000010f", MessageEncoder::haveNone));
    }

    @Test
    void extendedCarriesItsIdAndPayload()
    {
        final UnsafeBuffer payload = WireFixtures.bytes('d', 'e');
        assertEquals("EXTENDED 3 6465", roundTrip("000000041403" + "6465",
            (b, o) -> MessageEncoder.extended(b, o, 3, payload, 0, 2)));
        assertEquals("EXTENDED 200 ", roundTrip("0000000214c8",
            (b, o) -> MessageEncoder.extended(b, o, 200, new byte[0], 0, 0)));
        final UnsafeBuffer buf = buffer(16);
        assertEquals(6, MessageEncoder.extendedHeader(buf, 0, 1, 10));
        assertEquals("0000000c1401", RecordingHandler.hex(buf, 0, 6));
    }

    @Test
    void severalFramesInOneBufferAllDecodeInOrder()
    {
        final WireFixtures.Stream s = WireFixtures.everyMessage();
        final MessageDecoder decoder = decoder();
        assertEquals(s.length, decoder.decode(s.buf, 0, s.length, null, handler));
        assertEquals(s.events, handler.events);
        assertEquals(ProtocolViolation.NONE, decoder.violation());
    }

    @Test
    void frameLimitStopsAfterThatManyFramesAndTheRestDecodesLater()
    {
        final WireFixtures.Stream s = WireFixtures.everyMessage();
        final MessageDecoder decoder = decoder();
        final int first = decoder.decode(s.buf, 0, s.length, null, handler, 3);
        assertEquals(s.frameEnds.get(2), first);
        assertEquals(s.events.subList(0, 3), handler.events);
        assertEquals(s.length - first, decoder.decode(s.buf, first, s.length - first, null, handler));
        assertEquals(s.events, handler.events);
    }

    @Test
    void stopFromAHandlerEndsDecodingAfterThatFrame()
    {
        final WireFixtures.Stream s = WireFixtures.everyMessage();
        final MessageDecoder decoder = decoder();
        final RecordingHandler stopping = new RecordingHandler()
        {
            @Override
            public void onHave(final Object peer, final int index)
            {
                super.onHave(peer, index);
                decoder.stop();
            }
        };
        final int haveEnd = s.frameEnds.get(s.events.indexOf("HAVE 12"));
        assertEquals(haveEnd, decoder.decode(s.buf, 0, s.length, null, stopping));
        assertEquals(s.events.subList(0, s.events.indexOf("HAVE 12") + 1), stopping.events);
        assertEquals(s.length - haveEnd, decoder.decode(s.buf, haveEnd, s.length - haveEnd, null, stopping));
        assertEquals(s.events, stopping.events);
    }

    @Test
    void unknownGeometryAcceptsAnyIndexAndBitfieldButStillBoundsBlocks()
    {
        final MessageDecoder decoder = new MessageDecoder(0, 0, 0, MessageDecoder.DEFAULT_MAX_FRAME_LENGTH);
        final UnsafeBuffer buf = buffer(64);
        int n = MessageEncoder.have(buf, 0, 1_000_000);
        n += MessageEncoder.bitfield(buf, n, new byte[] {1, 2, 3}, 3);
        n += MessageEncoder.request(buf, n, 7, 1 << 30, BLOCK);
        assertEquals(n, decoder.decode(buf, 0, n, null, handler));
        assertEquals(List.of("HAVE 1000000", "BITFIELD 010203", "REQUEST 7 1073741824 16384"), handler.events);

        MessageEncoder.request(buf, 0, 7, 0, MessageDecoder.MAX_BLOCK_LENGTH + 1);
        assertEquals(-1, decoder.decode(buf, 0, 17, null, handler));
        assertEquals(ProtocolViolation.BLOCK_TOO_LARGE, decoder.violation());

        decoder.geometry(8, BLOCK, BLOCK);
        MessageEncoder.have(buf, 0, 8);
        assertEquals(-1, decoder.decode(buf, 0, 9, null, handler));
        assertEquals(ProtocolViolation.PIECE_INDEX_OUT_OF_RANGE, decoder.violation());
    }

    @Test
    void peekFrameLengthReadsThePrefix()
    {
        final UnsafeBuffer buf = buffer(32);
        MessageEncoder.request(buf, 2, 0, 0, 1);
        assertEquals(13, MessageDecoder.peekFrameLength(buf, 2, 17));
        assertEquals(13, MessageDecoder.peekFrameLength(buf, 2, 4));
        assertEquals(-1, MessageDecoder.peekFrameLength(buf, 2, 3));
        assertEquals(-1, MessageDecoder.peekFrameLength(buf, 30, 4));
        MessageEncoder.keepAlive(buf, 0);
        assertEquals(0, MessageDecoder.peekFrameLength(buf, 0, 4));
    }

    @Test
    void decodingNothingConsumesNothing()
    {
        final MessageDecoder decoder = decoder();
        assertEquals(0, decoder.decode(buffer(8), 0, 0, null, handler));
        assertEquals(ProtocolViolation.NONE, decoder.violation());
        assertEquals(List.of(), handler.events);
    }
}
