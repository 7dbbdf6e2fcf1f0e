package io.spate.dht;

import org.junit.jupiter.api.Test;

import static io.spate.dht.Krpc.ID_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Oversized input: datagrams, strings, lists and nesting past KRPC's limits are refused before they cost memory. */
class KrpcOversizedTest
{
    @Test
    void aDatagramOverTheLimit()
    {
        final String pad = "x".repeat(KrpcDecoder.MAX_PACKET);
        assertOversized("d1:ad2:id20:" + ID_A + "e1:pa" + pad.length() + ":" + pad + "1:q4:ping1:t2:aa1:y1:qe");
    }

    @Test
    void aHugeList()
    {
        // 500 tiny values in 1,500 bytes: over the decoder's element limit, refused before building them
        assertOversized("d1:rd2:id20:" + ID_A + "6:valuesl" + "i1e".repeat(450) + "ee1:t2:aa1:y1:re");
    }

    @Test
    void deepNesting()
    {
        assertOversized("d1:ad2:id20:" + ID_A + "1:xllllllleeeeeeee1:q4:ping1:t2:aa1:y1:qe");
    }

    @Test
    void aStringLengthFarPastTheDatagram()
    {
        assertOversized("d1:t99999999:aa1:y1:qe");
    }

    @Test
    void aLongTransactionIdOrTokenIsInvalid()
    {
        KrpcTruncatedTest.assertInvalid("d1:ad2:id20:" + ID_A + "e1:q4:ping1:t17:" + "t".repeat(17) + "1:y1:qe");
        KrpcTruncatedTest.assertInvalid("d1:rd2:id20:" + ID_A + "5:token65:" + "k".repeat(65) + "e1:t2:aa1:y1:re");
    }

    private static void assertOversized(final String datagram)
    {
        final KrpcDropException e = assertThrows(KrpcDropException.class, () -> Krpc.decode(datagram));
        assertEquals(DhtCounter.DROPPED_OVERSIZED, e.counter(), e.getMessage());
    }
}
