package io.spate.dht;

import io.spate.bencode.BencodeWriter;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Writes KRPC messages into one reusable buffer, keys in the sorted order bencode requires. Each method resets the
 * buffer and returns it; the caller sends {@code [0, length())} before the next call. One instance per thread.
 */
public final class KrpcEncoder
{
    private final BencodeWriter writer = new BencodeWriter(KrpcDecoder.MAX_PACKET);
    private final byte[] peer = new byte[CompactInfo.PEER_LENGTH];
    private final byte[] idBytes = new byte[NodeId.LENGTH];

    /** A ping query. */
    public BencodeWriter ping(final byte[] t, final NodeId self)
    {
        startQuery();
        key("id", self).end();
        return endQuery(KrpcMessage.PING, t);
    }

    /** A find_node ("target") or get_peers ("info_hash") query. */
    public BencodeWriter lookup(final byte[] t, final NodeId self, final String method, final NodeId target)
    {
        startQuery();
        key("id", self);
        key(KrpcMessage.FIND_NODE.equals(method) ? "target" : "info_hash", target).end();
        return endQuery(method, t);
    }

    /** An announce_peer query; {@code port} 0 sends implied_port=1 (the peer listens on our UDP port). */
    public BencodeWriter announcePeer(final byte[] t, final NodeId self, final NodeId infoHash, final int port,
        final byte[] token)
    {
        startQuery();
        key("id", self);
        if (port == 0)
        {
            writer.string("implied_port").integer(1);
        }
        key("info_hash", infoHash).string("port").integer(port == 0 ? 1 : port);
        writer.string("token").bytes(token, 0, token.length);
        writer.end();
        return endQuery(KrpcMessage.ANNOUNCE_PEER, t);
    }

    /**
     * A response: {@code nodes} and {@code values} may be null (left out), {@code token} null when the query was not
     * get_peers.
     */
    public BencodeWriter response(final byte[] t, final NodeId self, final List<Contact> nodes, final byte[] token,
        final List<InetSocketAddress> values)
    {
        writer.reset().startDict().string("r").startDict();
        key("id", self);
        if (nodes != null)
        {
            final byte[] compact = CompactInfo.nodes(nodes);
            writer.string("nodes").bytes(compact, 0, compact.length);
        }
        if (token != null)
        {
            writer.string("token").bytes(token, 0, token.length);
        }
        if (values != null)
        {
            writer.string("values").startList();
            for (final InetSocketAddress address : values)
            {
                if (CompactInfo.encodable(address))
                {
                    CompactInfo.writePeer(address, peer, 0);
                    writer.bytes(peer, 0, peer.length);
                }
            }
            writer.end();
        }
        writer.end();
        return end(t, "r");
    }

    /** An error (BEP 5 codes: 201 generic, 202 server, 203 protocol, 204 method unknown). */
    public BencodeWriter error(final byte[] t, final int code, final String message)
    {
        writer.reset().startDict().string("e").startList().integer(code).string(message).end();
        return end(t, "e");
    }

    private void startQuery()
    {
        writer.reset().startDict().string("a").startDict();
    }

    private BencodeWriter endQuery(final String method, final byte[] t)
    {
        writer.string("q").string(method);
        return end(t, "q");
    }

    private BencodeWriter end(final byte[] t, final String y)
    {
        writer.string("t").bytes(t, 0, t.length).string("y").string(y).end();
        return writer;
    }

    private BencodeWriter key(final String key, final NodeId id)
    {
        id.copyTo(idBytes, 0);
        return writer.string(key).bytes(idBytes, 0, NodeId.LENGTH);
    }
}
