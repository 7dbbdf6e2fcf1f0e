package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

/**
 * Answers the four BEP 5 queries: ping with our id, find_node with the K closest nodes we know, get_peers with the
 * peers stored for the info-hash (and the closest nodes) plus a write token for the querier's IP, announce_peer by
 * storing the querier's IP and port if its token is one we gave that IP (else error 203). Unknown methods get error
 * 204. A querier we do not know, whose bucket has room, is pinged: it enters the table if it answers (BEP 5 admits
 * only nodes that answer us). Owned by the DHT thread.
 */
final class QueryResponder
{
    private final NodeId self;
    private final RoutingTable table;
    private final WriteTokens tokens;
    private final PeerStore store;
    private final Rpc rpc;
    private final DhtCounters counters;
    private final Random random;
    private final int maxValues;

    QueryResponder(final NodeId self, final RoutingTable table, final WriteTokens tokens, final PeerStore store,
        final Rpc rpc, final DhtCounters counters, final Random random, final int maxValues)
    {
        this.self = self;
        this.table = table;
        this.tokens = tokens;
        this.store = store;
        this.rpc = rpc;
        this.counters = counters;
        this.random = random;
        this.maxValues = maxValues;
    }

    void onQuery(final KrpcMessage query, final InetSocketAddress from, final long nowNs)
    {
        final Contact contact = new Contact(query.id(), from);
        table.onQuery(contact, nowNs);
        if (!query.id().equals(self) && !table.contains(query.id()) && table.wouldAccept(query.id()))
        {
            rpc.ping(from, Rpc.IGNORE, nowNs);
        }
        final byte[] t = query.transactionId();
        final KrpcEncoder encoder = rpc.encoder();
        switch (query.method())
        {
            case KrpcMessage.PING -> rpc.reply(encoder.response(t, self, null, null, null), from);
            case KrpcMessage.FIND_NODE ->
                rpc.reply(encoder.response(t, self, table.closest(query.target(), RoutingTable.K), null, null), from);
            case KrpcMessage.GET_PEERS ->
            {
                final List<InetSocketAddress> values = store.get(query.target(), maxValues, nowNs, random);
                final byte[] token = tokens.tokenFor(from.getAddress(), nowNs);
                rpc.reply(encoder.response(t, self, table.closest(query.target(), RoutingTable.K), token,
                    values.isEmpty() ? null : values), from);
            }
            case KrpcMessage.ANNOUNCE_PEER ->
            {
                if (!tokens.accept(query.token(), from.getAddress(), nowNs))
                {
                    counters.increment(DhtCounter.BAD_TOKEN);
                    rpc.reply(encoder.error(t, 203, "bad token"), from);
                    return;
                }
                final int port = query.impliedPort() ? from.getPort() : query.port();
                if (store.put(query.target(), new InetSocketAddress(from.getAddress(), port), nowNs))
                {
                    counters.increment(DhtCounter.PEERS_STORED);
                }
                rpc.reply(encoder.response(t, self, null, null, null), from);
            }
            default ->
            {
                counters.increment(DhtCounter.UNKNOWN_METHOD);
                rpc.reply(encoder.error(t, 204, "method unknown"), from);
                return;
            }
        }
        counters.increment(DhtCounter.QUERIES_ANSWERED);
    }
}
