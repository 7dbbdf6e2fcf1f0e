package io.spate.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightRequestsTest
{
    @Test
    void removesInOrderAndOutOfOrderAcrossTheRingWrap()
    {
        final InFlightRequests r = new InFlightRequests(4);
        for (int round = 0; round < 3; round++)
        {
            assertTrue(r.add(1, round, 10));
            assertTrue(r.add(2, round, 11));
            assertTrue(r.add(3, round, 12));
            assertTrue(r.remove(2, round), "middle");
            assertTrue(r.remove(1, round), "head");
            assertEquals(1, r.size());
            assertEquals(3, r.piece(0));
            assertTrue(r.remove(3, round));
            assertFalse(r.remove(3, round), "already gone");
        }
        assertEquals(0, r.size());
        assertEquals(Long.MAX_VALUE, r.oldestSentAtNs());
    }

    @Test
    void refusesBeyondCapacity()
    {
        final InFlightRequests r = new InFlightRequests(2);
        assertTrue(r.add(0, 0, 1));
        assertTrue(r.add(0, 1, 2));
        assertFalse(r.add(0, 2, 3));
        assertTrue(r.contains(0, 1));
        assertEquals(1, r.oldestSentAtNs());
    }
}
