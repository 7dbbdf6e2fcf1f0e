package io.spate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Properties over generated input: no input makes the decoder throw or over-consume, and decoding valid messages
 * then encoding what the handler saw gives back the input byte for byte.
 */
class WireCodecPropertiesTest
{
    private static MessageDecoder decoder(final int pieceCount, final int pieceLength, final int lastDelta,
        final boolean fast, final boolean extended)
    {
        final int last = pieceCount == 0 ? 0 : Math.max(1, pieceLength - lastDelta);
        final MessageDecoder decoder = new MessageDecoder(pieceCount, pieceCount == 0 ? 0 : pieceLength, last, 4096);
        decoder.fastEnabled(fast);
        decoder.extendedEnabled(extended);
        return decoder;
    }

    private static void assertSane(final MessageDecoder decoder, final int result, final int available)
    {
        if (result == -1)
        {
            assertNotEquals(ProtocolViolation.NONE, decoder.violation());
            assertTrue(decoder.violationOffset() >= 0);
        }
        else
        {
            assertTrue(result >= 0 && result <= available, "consumed " + result + " of " + available);
            assertEquals(ProtocolViolation.NONE, decoder.violation());
        }
    }

    @Property(tries = 2000)
    void randomBytesNeverThrow(
        @ForAll @Size(max = 300) final byte[] bytes,
        @ForAll @IntRange(max = 40) final int pieceCount,
        @ForAll @IntRange(min = 1, max = 70_000) final int pieceLength,
        @ForAll @IntRange(max = 70_000) final int lastDelta,
        @ForAll final boolean fast,
        @ForAll final boolean extended)
    {
        final MessageDecoder decoder = decoder(pieceCount, pieceLength, lastDelta, fast, extended);
        final UnsafeBuffer buf = new UnsafeBuffer(bytes);
        assertSane(decoder, decoder.decode(buf, 0, bytes.length, null, new RecordingHandler()), bytes.length);
        assertTrue(MessageDecoder.peekFrameLength(buf, 0, bytes.length) >= -1);
    }

    /** Frames with plausible small length prefixes and any id, so the checks behind the length limit are reached. */
    @Property(tries = 3000)
    void plausibleFramesWithRandomContentNeverThrow(
        @ForAll("frameSoup") final byte[] bytes,
        @ForAll @IntRange(max = 40) final int pieceCount,
        @ForAll @IntRange(min = 1, max = 70_000) final int pieceLength,
        @ForAll @IntRange(max = 70_000) final int lastDelta,
        @ForAll final boolean fast,
        @ForAll final boolean extended,
        @ForAll @IntRange(max = 300) final int cut)
    {
        final MessageDecoder decoder = decoder(pieceCount, pieceLength, lastDelta, fast, extended);
        final UnsafeBuffer buf = new UnsafeBuffer(bytes);
        final int available = Math.min(cut, bytes.length);
        final RecordingHandler handler = new RecordingHandler();
        final int result = decoder.decode(buf, 0, available, null, handler);
        assertSane(decoder, result, available);
        if (result >= 0)
        {
            // what was consumed decodes again to the same events, and the rest is at most a partial frame
            final RecordingHandler again = new RecordingHandler();
            assertEquals(result, decoder.decode(buf, 0, result, null, again));
            assertEquals(handler.events, again.events);
            assertEquals(0, decoder.decode(buf, result, available - result, null, again));
        }
    }

    @Provide
    Arbitrary<byte[]> frameSoup()
    {
        final Arbitrary<byte[]> frame = Arbitraries.integers().between(0, 20).flatMap(len ->
            Arbitraries.bytes().array(byte[].class).ofSize(len).map(payload ->
            {
                final byte[] f = new byte[4 + len];
                f[3] = (byte)(int)len;
                System.arraycopy(payload, 0, f, 4, len);
                return f;
            }));
        final Arbitrary<byte[]> idFrame = Arbitraries.integers().between(1, 20).flatMap(len ->
            Arbitraries.integers().between(0, 24).flatMap(id ->
                Arbitraries.bytes().array(byte[].class).ofSize(len - 1).map(payload ->
                {
                    final byte[] f = new byte[4 + len];
                    f[3] = (byte)(int)len;
                    f[4] = (byte)(int)id;
                    System.arraycopy(payload, 0, f, 5, len - 1);
                    return f;
                })));
        return Arbitraries.oneOf(frame, idFrame, idFrame, idFrame).list().ofMaxSize(12).map(frames ->
        {
            int total = 0;
            for (final byte[] f : frames)
            {
                total += f.length;
            }
            final byte[] out = new byte[total];
            int p = 0;
            for (final byte[] f : frames)
            {
                System.arraycopy(f, 0, out, p, f.length);
                p += f.length;
            }
            return out;
        });
    }

    @Property(tries = 1000)
    void decodeThenEncodeGivesBackTheInput(
        @ForAll @IntRange(min = 1, max = 2000) final int pieceCount,
        @ForAll("pieceLengths") final int pieceLength,
        @ForAll @IntRange(max = 1 << 20) final int lastDelta,
        @ForAll @Size(max = 30) final List<Long> seeds,
        @ForAll @IntRange(max = 7) final int offset)
    {
        final int last = Math.max(1, pieceLength - lastDelta);
        final MessageDecoder decoder = new MessageDecoder(pieceCount, pieceLength, last,
            MessageDecoder.DEFAULT_MAX_FRAME_LENGTH);
        decoder.fastEnabled(true);
        decoder.extendedEnabled(true);
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[offset + seeds.size() * 2200 + 300]);
        int n = offset;
        for (final long seed : seeds)
        {
            n += writeValidMessage(buf, n, new Random(seed), decoder);
        }
        final EchoHandler echo = new EchoHandler();
        assertEquals(n - offset, decoder.decode(buf, offset, n - offset, null, echo));
        final byte[] input = new byte[n - offset];
        buf.getBytes(offset, input);
        assertArrayEquals(input, echo.bytes());
    }

    @Provide
    Arbitrary<Integer> pieceLengths()
    {
        return Arbitraries.oneOf(Arbitraries.of(16_384, 32_768, 262_144, 4 << 20), Arbitraries.integers().between(1,
            300_000));
    }

    /** Writes one valid message of a random type for the decoder's geometry. */
    private static int writeValidMessage(final UnsafeBuffer buf, final int at, final Random r,
        final MessageDecoder decoder)
    {
        final int pieces = decoder.pieceCount();
        final int index = r.nextInt(pieces);
        final int pieceLength = decoder.pieceLength(index);
        final int length = 1 + r.nextInt(Math.min(pieceLength, MessageDecoder.MAX_BLOCK_LENGTH));
        final int begin = r.nextInt(pieceLength - length + 1);
        switch (r.nextInt(18))
        {
            case 0: return MessageEncoder.keepAlive(buf, at);
            case 1: return MessageEncoder.choke(buf, at);
            case 2: return MessageEncoder.unchoke(buf, at);
            case 3: return MessageEncoder.interested(buf, at);
            case 4: return MessageEncoder.notInterested(buf, at);
            case 5: return MessageEncoder.have(buf, at, index);
            case 6:
            {
                final byte[] bits = new byte[decoder.bitfieldLength()];
                r.nextBytes(bits);
                if ((pieces & 7) != 0)
                {
                    bits[bits.length - 1] &= (byte)(0xFF << (8 - (pieces & 7)));
                }
                return MessageEncoder.bitfield(buf, at, bits, bits.length);
            }
            case 7: return MessageEncoder.request(buf, at, index, begin, length);
            case 8: return MessageEncoder.cancel(buf, at, index, begin, length);
            case 9:
            {
                final int block = Math.min(length, 1 + r.nextInt(2048));
                final byte[] data = new byte[block];
                r.nextBytes(data);
                final int written = MessageEncoder.pieceHeader(buf, at, index, begin, block);
                buf.putBytes(at + written, data);
                return written + block;
            }
            case 10: return MessageEncoder.port(buf, at, r.nextInt(65536));
            case 11: return MessageEncoder.suggestPiece(buf, at, index);
            case 12: return MessageEncoder.haveAll(buf, at);
            case 13: return MessageEncoder.haveNone(buf, at);
            case 14: return MessageEncoder.rejectRequest(buf, at, index, begin, length);
            case 15: return MessageEncoder.allowedFast(buf, at, index);
            default:
            {
                final byte[] payload = new byte[r.nextInt(64)];
                r.nextBytes(payload);
                return MessageEncoder.extended(buf, at, r.nextInt(256), payload, 0, payload.length);
            }
        }
    }
}
