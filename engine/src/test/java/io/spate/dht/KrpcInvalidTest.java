package io.spate.dht;

import org.junit.jupiter.api.Test;

import static io.spate.dht.Krpc.ID_A;
import static io.spate.dht.KrpcTruncatedTest.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Invalid input: not bencode at all (malformed), or bencode that is not KRPC (invalid: wrong types, keys, values). */
class KrpcInvalidTest
{
    @Test
    void notBencodeIsMalformed()
    {
        for (final String junk : new String[] {"", "hello", "d1:t2:aa", "i-0e", "d1:t2:aa1:y1:qee", "d2:aa1:b1:ae",
            "d1:a0:1:a0:e"})
        {
            final KrpcDropException e = assertThrows(KrpcDropException.class, () -> Krpc.decode(junk), junk);
            assertEquals(DhtCounter.DROPPED_MALFORMED, e.counter(), junk + ": " + e.getMessage());
        }
    }

    @Test
    void wrongTypesAreInvalid()
    {
        assertInvalid("le");
        assertInvalid("i42e");
        assertInvalid("d1:t2:aa1:y1:xe"); // no such message kind
        assertInvalid("d1:ti1e1:y1:qe"); // t must be a string
        assertInvalid("d1:ad2:id20:" + ID_A + "e1:q4:ping1:y1:qe"); // no t
        assertInvalid("d1:al2:ide1:q4:ping1:t2:aa1:y1:qe"); // a is a list
        assertInvalid("d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe"); // id is an integer
        assertInvalid("d1:ad2:id20:" + ID_A + "e1:qi1e1:t2:aa1:y1:qe"); // q is an integer
        assertInvalid("d1:ad2:id20:" + ID_A + "e1:q9:find_node1:t2:aa1:y1:qe"); // find_node without target
        assertInvalid("d1:ad2:id20:" + ID_A + "9:info_hash20:" + ID_A + "4:port3:abc5:token2:xxe" +
            "1:q13:announce_peer1:t2:aa1:y1:qe"); // port is a string
        assertInvalid("d1:ad2:id20:" + ID_A + "9:info_hash20:" + ID_A + "4:porti70000e5:token2:xxe" +
            "1:q13:announce_peer1:t2:aa1:y1:qe"); // port out of range
        assertInvalid("d1:ad2:id20:" + ID_A + "9:info_hash20:" + ID_A + "4:porti1e" +
            "e1:q13:announce_peer1:t2:aa1:y1:qe"); // no token
        assertInvalid("d1:rd2:id20:" + ID_A + "6:values6:abcdefe1:t2:aa1:y1:re"); // values not a list
        assertInvalid("d1:rd2:id20:" + ID_A + "6:valuesli1eee1:t2:aa1:y1:re"); // a value not a string
        assertInvalid("d1:rle1:t2:aa1:y1:re"); // r is a list
        assertInvalid("d1:e3:bad1:t2:aa1:y1:ee"); // e is a string
        assertInvalid("d1:el3:bade1:t2:aa1:y1:ee"); // e without a code
        assertInvalid("d1:ad2:id20:" + ID_A + "e1:q4:ping1:t0:1:y1:qe"); // empty transaction id
    }

    @Test
    void anUnknownMethodDecodesForAnError204() throws Exception
    {
        final KrpcMessage m = Krpc.decode("d1:ad2:id20:" + ID_A + "e1:q6:vote_x1:t2:aa1:y1:qe");
        assertEquals("vote_x", m.method());
    }
}
