package io.spate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingSizingTest
{
    @Test
    void aReadIsAFullBufferOfBlocksAndOneSplitAcrossItsEnd()
    {
        assertEquals(256 * 1024 / (16 * 1024) + 1, RingSizing.BLOCKS_PER_READ, "128 KiB frames: 256 KiB buffers");
    }

    @Test
    void aSeedsRingHoldsTwoFullReadsPerAgentRoundedUpToAPowerOfTwo()
    {
        assertEquals(64, RingSizing.forSeed(1));   // 2 x 17 = 34
        assertEquals(128, RingSizing.forSeed(2));  // 68: 2 MiB of blocks, not the leecher's 16
        assertEquals(256, RingSizing.forSeed(4));  // 136
        assertEquals(64, RingSizing.forSeed(0), "no agents count as one");
        for (int agents = 1; agents <= 64; agents++)
        {
            final int slots = RingSizing.forSeed(agents);
            assertEquals(0, slots & (slots - 1), "a power of two: " + slots);
            assertTrue(slots >= 2 * agents * RingSizing.BLOCKS_PER_READ, "two reads per agent fit: " + agents);
            assertTrue(slots < 4 * agents * RingSizing.BLOCKS_PER_READ, "no more than the next power of two");
        }
    }

    @Test
    void aSeedOnFewerThanSixteenCoresHoldsLessThanTheLeechersDefault()
    {
        for (int agents = 1; agents < 16; agents++)
        {
            assertTrue(RingSizing.forSeed(agents) < Context.RING_SIZE_DEFAULT, "agents " + agents);
        }
    }
}
