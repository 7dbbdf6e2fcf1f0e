package io.spate.verify;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parking grows a chunk at a time, keeps every parked block's bytes, and refuses only when every slot is taken. */
class ParkedBlocksTest
{
    @Test
    void slotsAreMadeAChunkAtATimeUpToTheCountAndKeepTheirBytes()
    {
        final int count = ParkedBlocks.CHUNK * 2 + 5;
        final ParkedBlocks parking = new ParkedBlocks(count);
        assertEquals(0, parking.made(), "nothing made before the first park");

        final List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int slot = parking.park(block(i), 100 + i);
            assertTrue(slot >= 0, "block " + i + " finds a slot");
            taken.add(slot);
            assertEquals(Math.min(count, (i / ParkedBlocks.CHUNK + 1) * ParkedBlocks.CHUNK), parking.made(),
                "made when the free ones ran out, after block " + i);
        }
        assertEquals(-1, parking.park(block(999), 10), "every slot taken");
        assertEquals(count, taken.stream().distinct().count(), "no slot handed out twice");
        for (int i = 0; i < count; i++)
        {
            final int slot = taken.get(i);
            assertEquals(100 + i, parking.length(slot));
            for (int b = 0; b < 100 + i; b++)
            {
                assertEquals((byte)(i * 31 + b), parking.data(slot).getByte(b), "block " + i + " byte " + b);
            }
        }

        parking.release(taken.get(7));
        final int again = parking.park(block(1000), 50);
        assertEquals(taken.get(7).intValue(), again, "a released slot is used again, nothing new made");
        assertEquals(count, parking.made());
    }

    private static UnsafeBuffer block(final int i)
    {
        final byte[] bytes = new byte[BlockEvent.MAX_BLOCK];
        for (int b = 0; b < bytes.length; b++)
        {
            bytes[b] = (byte)(i * 31 + b);
        }
        return new UnsafeBuffer(bytes);
    }
}
