package io.spate.dht;

import java.net.InetSocketAddress;

/**
 * A DHT node as the wire names it: its id and its UDP address (BEP 5's "compact node info").
 *
 * @param id      the node's id.
 * @param address its UDP endpoint (resolved, IPv4 on the wire).
 */
public record Contact(NodeId id, InetSocketAddress address)
{
}
