package io.spate.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What peer connections share with the DHT node (BEP 5): whether to set the handshake's DHT bit and which UDP port
 * to name in our PORT message, and where a peer's PORT message goes (its address, the port it sent, is pinged and
 * joins the routing table if it answers). Created with the engine, attached once the node is up (the engine and the
 * DHT start side by side), read by the network agents per handshake.
 */
public final class DhtLink
{
    private volatile DhtNode node;
    private volatile int port;

    /** The node peers learn of from now on. */
    public void attach(final DhtNode node)
    {
        this.port = node.localAddress().getPort();
        this.node = node;
    }

    /** @return our DHT node's UDP port, 0 while there is none. */
    public int port()
    {
        return port;
    }

    /** A peer's PORT message: its node, at its address and the port it named, is worth a ping. */
    public void peerPort(final InetAddress peer, final int udpPort)
    {
        final DhtNode current = node;
        if (current != null && udpPort > 0 && udpPort <= 0xFFFF)
        {
            current.addNode(new InetSocketAddress(peer, udpPort));
        }
    }
}
