package io.spate.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlowStartTest
{
    @Test
    void eachBlockAddsARequestWhileTheRateGrows()
    {
        final SlowStart slowStart = new SlowStart(16, 500);
        for (int i = 0; i < 16; i++)
        {
            slowStart.blockReceived();
        }
        assertEquals(32, slowStart.depth());
        slowStart.rateSampled(100_000);
        slowStart.rateSampled(200_000);
        slowStart.rateSampled(400_000);
        assertTrue(slowStart.active());
    }

    @Test
    void itEndsWhenTheRateStopsGrowingByTenPercentAndTheRateDecidesFromThen()
    {
        final SlowStart slowStart = new SlowStart(16, 500);
        slowStart.rateSampled(500_000);
        slowStart.rateSampled(540_000); // +8 %: the pipe is full
        assertFalse(slowStart.active());
        assertEquals(0, slowStart.depth());
        for (int i = 0; i < 100; i++)
        {
            slowStart.blockReceived();
        }
        assertEquals(0, slowStart.depth(), "blocks no longer deepen the pipeline");
    }

    @Test
    void aSnubEndsItAndItNeverGoesPastTheMaximum()
    {
        final SlowStart capped = new SlowStart(16, 20);
        for (int i = 0; i < 100; i++)
        {
            capped.blockReceived();
        }
        assertEquals(20, capped.depth());
        capped.end();
        assertFalse(capped.active());
        capped.rateSampled(1);
        assertEquals(0, capped.depth());
    }

    @Test
    void noRateYetDoesNotEndIt()
    {
        final SlowStart slowStart = new SlowStart(16, 500);
        slowStart.rateSampled(0);
        slowStart.rateSampled(0);
        slowStart.rateSampled(300_000);
        assertTrue(slowStart.active());
    }
}
