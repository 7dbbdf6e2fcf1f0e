package io.spate.wire;

import static io.spate.wire.WireFixtures.decoder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Insufficient input: a prefix of a valid stream decodes its whole frames and leaves a partial frame unconsumed.
 */
class WireTruncatedInputTest
{
    @Test
    void everyPrefixConsumesExactlyTheWholeFramesInIt()
    {
        final WireFixtures.Stream s = WireFixtures.everyMessage();
        for (int n = 0; n <= s.length; n++)
        {
            final RecordingHandler handler = new RecordingHandler();
            final MessageDecoder decoder = decoder();
            int whole = 0;
            int frames = 0;
            for (final int end : s.frameEnds)
            {
                if (end <= n)
                {
                    whole = end;
                    frames++;
                }
            }
            assertEquals(whole, decoder.decode(s.buf, 0, n, null, handler), "prefix of " + n + " bytes");
            assertEquals(ProtocolViolation.NONE, decoder.violation(), "prefix of " + n + " bytes");
            assertEquals(s.events.subList(0, frames), handler.events, "prefix of " + n + " bytes");
        }
    }

    @Test
    void everySplitOfOneFrameCompletesOnTheSecondCall()
    {
        final WireFixtures.Stream s = WireFixtures.everyMessage();
        int start = 0;
        for (int f = 0; f < s.frameEnds.size(); f++)
        {
            final int end = s.frameEnds.get(f);
            for (int cut = start; cut < end; cut++)
            {
                final RecordingHandler handler = new RecordingHandler();
                final MessageDecoder decoder = decoder();
                assertEquals(0, decoder.decode(s.buf, start, cut - start, null, handler));
                assertEquals(0, handler.events.size());
                assertEquals(end - start, decoder.decode(s.buf, start, end - start, null, handler));
                assertEquals(s.events.subList(f, f + 1), handler.events);
            }
            start = end;
        }
    }

    /** The receive path: bytes arrive in random chunks, unconsumed bytes are compacted to the front. */
    @Test
    void streamingInRandomChunksSeesTheSameEvents()
    {
        final WireFixtures.Stream s = WireFixtures.everyMessage();
        final Random random = new Random(42);
        for (int round = 0; round < 200; round++)
        {
            final UnsafeBuffer receive = WireFixtures.buffer(s.length);
            final RecordingHandler handler = new RecordingHandler();
            final MessageDecoder decoder = decoder();
            int arrived = 0;
            int pending = 0;
            while (arrived < s.length)
            {
                final int chunk = Math.min(1 + random.nextInt(40), s.length - arrived);
                receive.putBytes(pending, s.buf, arrived, chunk);
                arrived += chunk;
                pending += chunk;
                final int consumed = decoder.decode(receive, 0, pending, null, handler);
                assertEquals(true, consumed >= 0 && consumed <= pending);
                receive.putBytes(0, receive, consumed, pending - consumed);
                pending -= consumed;
            }
            assertEquals(0, pending);
            assertEquals(s.events, handler.events);
        }
    }

    @Test
    void aLengthPrefixAloneIsNotAFrame()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(9);
        MessageEncoder.have(buf, 0, 1);
        final RecordingHandler handler = new RecordingHandler();
        for (int n = 0; n < 9; n++)
        {
            assertEquals(0, decoder().decode(buf, 0, n, null, handler));
        }
        assertEquals(0, handler.events.size());
        assertEquals(-1, MessageDecoder.peekFrameLength(buf, 0, 3));
        assertEquals(5, MessageDecoder.peekFrameLength(buf, 0, 4));
    }

    @Test
    void availableBeyondTheBufferIsClampedNotThrown()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(7);
        MessageEncoder.interested(buf, 0);
        final RecordingHandler handler = new RecordingHandler();
        final MessageDecoder decoder = decoder();
        assertEquals(5, decoder.decode(buf, 0, 1000, null, handler));
        assertEquals(0, decoder.decode(buf, 7, 10, null, handler));
        assertEquals(0, decoder.decode(buf, 100, 10, null, handler));
        assertEquals(0, decoder.decode(buf, -1, 10, null, handler));
        assertEquals(1, handler.events.size());
    }
}
