package io.spate.tracker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The event's two encodings are the specifications' (BEP 3 query values, BEP 15 codes) and UDP codes round-trip. */
class AnnounceEventTest
{
    @Test
    void encodingsAreTheSpecifications()
    {
        assertNull(AnnounceEvent.NONE.queryValue());
        assertEquals("completed", AnnounceEvent.COMPLETED.queryValue());
        assertEquals("started", AnnounceEvent.STARTED.queryValue());
        assertEquals("stopped", AnnounceEvent.STOPPED.queryValue());
        assertEquals(0, AnnounceEvent.NONE.udpCode());
        assertEquals(1, AnnounceEvent.COMPLETED.udpCode());
        assertEquals(2, AnnounceEvent.STARTED.udpCode());
        assertEquals(3, AnnounceEvent.STOPPED.udpCode());
    }

    @Test
    void udpCodesRoundTripAndOthersAreNone()
    {
        for (final AnnounceEvent event : AnnounceEvent.values())
        {
            assertEquals(event, AnnounceEvent.ofUdpCode(event.udpCode()));
        }
        assertNull(AnnounceEvent.ofUdpCode(-1));
        assertNull(AnnounceEvent.ofUdpCode(4));
    }
}
