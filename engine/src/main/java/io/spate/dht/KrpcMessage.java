package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One decoded KRPC message (BEP 5): a query, a response or an error. Fields a kind does not carry are null, empty or
 * zero. Built only by {@link KrpcDecoder}, which has checked every field it sets.
 *
 * @param kind          query, response or error.
 * @param transactionId the "t" bytes, echoed in a reply.
 * @param method        a query's method ("q"), null otherwise.
 * @param id            the sender's node id (a query's "a.id", a response's "r.id"); null for an error.
 * @param target        find_node's "target" or get_peers / announce_peer's "info_hash"; else null.
 * @param token         get_peers response's or announce_peer query's "token"; else null.
 * @param port          announce_peer's "port" (0 when implied_port says use the source port).
 * @param impliedPort   announce_peer's "implied_port" was non-zero.
 * @param nodes         a response's "nodes" (IPv4 contacts).
 * @param values        a get_peers response's "values" (IPv4 peers).
 * @param errorCode     an error's code.
 * @param errorText     an error's message.
 */
public record KrpcMessage(Kind kind, byte[] transactionId, String method, NodeId id, NodeId target, byte[] token,
    int port, boolean impliedPort, List<Contact> nodes, List<InetSocketAddress> values, int errorCode,
    String errorText)
{
    /** The "y" of a message. */
    public enum Kind
    {
        QUERY, RESPONSE, ERROR
    }

    public static final String PING = "ping";
    public static final String FIND_NODE = "find_node";
    public static final String GET_PEERS = "get_peers";
    public static final String ANNOUNCE_PEER = "announce_peer";
}
