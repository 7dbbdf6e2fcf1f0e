package io.spate.wire;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A torrent geometry and a stream holding one frame of every message type, shared by the wire tests.
 */
final class WireFixtures
{
    /** 13 pieces: a 2-byte bitfield whose last byte has 3 spare bits. */
    static final int PIECES = 13;
    /** Longer than a block, so BLOCK_TOO_LARGE and BLOCK_OUT_OF_BOUNDS are told apart. */
    static final int PIECE_LENGTH = 256 * 1024;
    static final int LAST_PIECE_LENGTH = 100_000;
    static final int LAST = PIECES - 1;
    static final int BLOCK = 16 * 1024;

    private WireFixtures()
    {
    }

    /** A decoder for the fixture geometry with both extensions enabled. */
    static MessageDecoder decoder()
    {
        final MessageDecoder decoder = new MessageDecoder(PIECES, PIECE_LENGTH, LAST_PIECE_LENGTH,
            MessageDecoder.DEFAULT_MAX_FRAME_LENGTH);
        decoder.fastEnabled(true);
        decoder.extendedEnabled(true);
        return decoder;
    }

    static UnsafeBuffer buffer(final int capacity)
    {
        return new UnsafeBuffer(new byte[capacity]);
    }

    static UnsafeBuffer bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return new UnsafeBuffer(bytes);
    }

    /** One valid frame of every type, and the events a handler must see for it. */
    static final class Stream
    {
        final UnsafeBuffer buf = buffer(4096);
        final List<Integer> frameEnds = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        int length;

        void add(final int frameLength, final String event)
        {
            length += frameLength;
            frameEnds.add(length);
            events.add(event);
        }
    }

    static Stream everyMessage()
    {
        final Stream s = new Stream();
        final UnsafeBuffer b = s.buf;
        final UnsafeBuffer block = bytes(1, 2, 3, 4, 5, 6, 7);
        final UnsafeBuffer ext = bytes('d', 'e');
        s.add(MessageEncoder.bitfield(b, s.length, new byte[] {(byte)0xA5, (byte)0xF8}, 2), "BITFIELD a5f8");
        s.add(MessageEncoder.keepAlive(b, s.length), "KEEP_ALIVE");
        s.add(MessageEncoder.choke(b, s.length), "CHOKE");
        s.add(MessageEncoder.unchoke(b, s.length), "UNCHOKE");
        s.add(MessageEncoder.interested(b, s.length), "INTERESTED");
        s.add(MessageEncoder.notInterested(b, s.length), "NOT_INTERESTED");
        s.add(MessageEncoder.have(b, s.length, LAST), "HAVE 12");
        s.add(MessageEncoder.request(b, s.length, 3, BLOCK, BLOCK), "REQUEST 3 16384 16384");
        s.add(MessageEncoder.cancel(b, s.length, 3, BLOCK, BLOCK), "CANCEL 3 16384 16384");
        s.add(MessageEncoder.piece(b, s.length, LAST, LAST_PIECE_LENGTH - 7, block, 0, 7),
            "PIECE 12 99993 01020304050607");
        s.add(MessageEncoder.port(b, s.length, 6881), "PORT 6881");
        s.add(MessageEncoder.suggestPiece(b, s.length, 0), "SUGGEST_PIECE 0");
        s.add(MessageEncoder.haveAll(b, s.length), "HAVE_ALL");
        s.add(MessageEncoder.haveNone(b, s.length), "HAVE_NONE");
        s.add(MessageEncoder.rejectRequest(b, s.length, 0, 0, MessageDecoder.MAX_BLOCK_LENGTH),
            "REJECT_REQUEST 0 0 131072");
        s.add(MessageEncoder.allowedFast(b, s.length, 7), "ALLOWED_FAST 7");
        s.add(MessageEncoder.extended(b, s.length, 0, ext, 0, 2), "EXTENDED 0 6465");
        s.add(MessageEncoder.extended(b, s.length, 255, ext, 0, 0), "EXTENDED 255 ");
        return s;
    }
}
