package io.spate.dht;

import io.spate.bencode.BencodeWriter;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static io.spate.dht.Krpc.ID_A;
import static io.spate.dht.Krpc.ID_B;
import static io.spate.dht.Krpc.bytes;
import static io.spate.dht.Krpc.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Valid KRPC messages: BEP 5's own examples decode, and what we encode is byte for byte what the BEP shows. */
class KrpcValidTest
{
    private static final NodeId A = NodeId.of(bytes(ID_A));
    private static final NodeId B = NodeId.of(bytes(ID_B));
    private final KrpcEncoder encoder = new KrpcEncoder();

    @Test
    void bep5ExamplesDecode() throws Exception
    {
        final KrpcMessage ping = decode("d1:ad2:id20:" + ID_A + "e1:q4:ping1:t2:aa1:y1:qe");
        assertEquals(KrpcMessage.Kind.QUERY, ping.kind());
        assertEquals(KrpcMessage.PING, ping.method());
        assertEquals(A, ping.id());
        assertArrayEquals(bytes("aa"), ping.transactionId());

        final KrpcMessage find = decode("d1:ad2:id20:" + ID_A + "6:target20:" + ID_B + "e1:q9:find_node1:t2:aa1:y1:qe");
        assertEquals(B, find.target());

        final KrpcMessage getPeers = decode("d1:ad2:id20:" + ID_A + "9:info_hash20:" + ID_B +
            "e1:q9:get_peers1:t2:aa1:y1:qe");
        assertEquals(KrpcMessage.GET_PEERS, getPeers.method());
        assertEquals(B, getPeers.target());

        final KrpcMessage announce = decode("d1:ad2:id20:" + ID_A + "12:implied_porti1e9:info_hash20:" + ID_B +
            "4:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe");
        assertTrue(announce.impliedPort());
        assertArrayEquals(bytes("aoeusnth"), announce.token());

        final KrpcMessage values = decode("d1:rd2:id20:" + ID_A + "5:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee" +
            "1:t2:aa1:y1:re");
        assertEquals(2, values.values().size());
        assertEquals(new InetSocketAddress("97.120.106.101", ('.' << 8) | 'u'), values.values().get(0));

        final KrpcMessage error = decode("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee");
        assertEquals(201, error.errorCode());
        assertEquals("A Generic Error Ocurred", error.errorText());
    }

    @Test
    void unknownKeysAndUnsortedKeysAreAccepted() throws Exception
    {
        // libtorrent adds "v" and "ip"; some encoders do not sort keys
        final KrpcMessage m = decode("d1:y1:r1:t2:aa2:ip6:abcdef1:rd2:id20:" + ID_B + "1:pi5ee1:v4:LT01e");
        assertEquals(KrpcMessage.Kind.RESPONSE, m.kind());
        assertEquals(B, m.id());
    }

    @Test
    void encoderWritesBep5Bytes()
    {
        final byte[] t = bytes("aa");
        assertEquals("d1:ad2:id20:" + ID_A + "e1:q4:ping1:t2:aa1:y1:qe", text(encoder.ping(t, A)));
        assertEquals("d1:ad2:id20:" + ID_A + "6:target20:" + ID_B + "e1:q9:find_node1:t2:aa1:y1:qe",
            text(encoder.lookup(t, A, KrpcMessage.FIND_NODE, B)));
        assertEquals("d1:ad2:id20:" + ID_A + "9:info_hash20:" + ID_B + "4:porti6881e5:token8:aoeusnthe" +
            "1:q13:announce_peer1:t2:aa1:y1:qe", text(encoder.announcePeer(t, A, B, 6881, bytes("aoeusnth"))));
        assertEquals("d1:rd2:id20:" + ID_A + "5:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
            text(encoder.response(t, A, null, bytes("aoeusnth"), List.of(
                CompactInfo.readPeer(bytes("axje.u"), 0), CompactInfo.readPeer(bytes("idhtnm"), 0)))));
        assertEquals("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
            text(encoder.error(t, 201, "A Generic Error Ocurred")));
    }

    @Test
    void nodesRoundTrip() throws Exception
    {
        final List<Contact> nodes = List.of(new Contact(A, new InetSocketAddress("127.0.0.1", 6881)),
            new Contact(B, new InetSocketAddress("10.1.2.3", 65535)));
        final BencodeWriter w = encoder.response(bytes("xy"), B, nodes, null, null);
        final KrpcMessage m = decode(w.toByteArray());
        assertEquals(nodes, m.nodes());
        assertEquals(B, m.id());
    }

    private static String text(final BencodeWriter w)
    {
        return Krpc.text(w.array(), w.length());
    }
}
