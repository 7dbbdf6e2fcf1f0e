package io.spate.dht;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.spate.dht.Krpc.ID_A;
import static io.spate.dht.Krpc.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Truncated datagrams: every proper prefix of a valid message is refused as malformed, none decodes. */
class KrpcTruncatedTest
{
    @Test
    void everyPrefixIsMalformed()
    {
        final byte[] whole = bytes("d1:ad2:id20:" + ID_A + "9:info_hash20:" + ID_A + "e1:q9:get_peers1:t2:aa1:y1:qe");
        final KrpcDecoder decoder = new KrpcDecoder();
        for (int length = 0; length < whole.length; length++)
        {
            final byte[] prefix = Arrays.copyOf(whole, length);
            final KrpcDropException e = assertThrows(KrpcDropException.class,
                () -> decoder.decode(prefix, prefix.length), "prefix of " + length);
            assertEquals(DhtCounter.DROPPED_MALFORMED, e.counter(), "prefix of " + length + ": " + e.getMessage());
        }
    }

    @Test
    void aCompactFieldCutShortIsInvalid()
    {
        // a 25-byte "nodes" (one byte short of a node) and a 5-byte peer: well-formed bencode, wrong lengths
        assertInvalid("d1:rd2:id20:" + ID_A + "5:nodes25:" + "x".repeat(25) + "e1:t2:aa1:y1:re");
        assertInvalid("d1:rd2:id20:" + ID_A + "6:valuesl5:abcdeee1:t2:aa1:y1:re");
        assertInvalid("d1:ad2:id19:" + ID_A.substring(1) + "e1:q4:ping1:t2:aa1:y1:qe");
    }

    static void assertInvalid(final String datagram)
    {
        final KrpcDropException e = assertThrows(KrpcDropException.class, () -> Krpc.decode(datagram), datagram);
        assertEquals(DhtCounter.DROPPED_INVALID, e.counter(), e.getMessage());
    }
}
