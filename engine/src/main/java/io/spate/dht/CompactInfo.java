package io.spate.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 5's compact encodings, IPv4: a peer is 4 address bytes and a 2-byte port (6 bytes), a node its 20-byte id
 * followed by that (26 bytes), all in network byte order.
 */
public final class CompactInfo
{
    /** Bytes of one compact IPv4 peer. */
    public static final int PEER_LENGTH = 6;
    /** Bytes of one compact IPv4 node. */
    public static final int NODE_LENGTH = NodeId.LENGTH + PEER_LENGTH;

    private CompactInfo()
    {
    }

    /** @return whether this address can be written compactly (IPv4, port 1-65535). */
    public static boolean encodable(final InetSocketAddress address)
    {
        return address.getAddress() instanceof Inet4Address && address.getPort() > 0;
    }

    /** Writes {@code address} (IPv4) as 6 bytes at {@code offset}. */
    public static void writePeer(final InetSocketAddress address, final byte[] dst, final int offset)
    {
        final byte[] ip = address.getAddress().getAddress();
        System.arraycopy(ip, 0, dst, offset, 4);
        dst[offset + 4] = (byte)(address.getPort() >>> 8);
        dst[offset + 5] = (byte)address.getPort();
    }

    public static byte[] peer(final InetSocketAddress address)
    {
        final byte[] out = new byte[PEER_LENGTH];
        writePeer(address, out, 0);
        return out;
    }

    /** @return the address in the 6 bytes at {@code offset}, or null when its port is 0 (unusable). */
    public static InetSocketAddress readPeer(final byte[] src, final int offset)
    {
        final int port = ((src[offset + 4] & 0xFF) << 8) | (src[offset + 5] & 0xFF);
        if (port == 0)
        {
            return null;
        }
        try
        {
            final InetAddress ip = InetAddress.getByAddress(new byte[] {src[offset], src[offset + 1],
                src[offset + 2], src[offset + 3]});
            return new InetSocketAddress(ip, port);
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }

    /** @return the contacts as a "nodes" string; IPv6 contacts are left out (BEP 32 carries them). */
    public static byte[] nodes(final List<Contact> contacts)
    {
        int n = 0;
        for (final Contact c : contacts)
        {
            n += encodable(c.address()) ? 1 : 0;
        }
        final byte[] out = new byte[n * NODE_LENGTH];
        int at = 0;
        for (final Contact c : contacts)
        {
            if (encodable(c.address()))
            {
                c.id().copyTo(out, at);
                writePeer(c.address(), out, at + NodeId.LENGTH);
                at += NODE_LENGTH;
            }
        }
        return out;
    }

    /**
     * @return the contacts in a "nodes" string, those with port 0 left out.
     * @throws IllegalArgumentException when the length is not a multiple of 26.
     */
    public static List<Contact> readNodes(final byte[] src)
    {
        if (src.length % NODE_LENGTH != 0)
        {
            throw new IllegalArgumentException("nodes of " + src.length + " bytes: not a multiple of 26");
        }
        final List<Contact> out = new ArrayList<>(src.length / NODE_LENGTH);
        for (int at = 0; at < src.length; at += NODE_LENGTH)
        {
            final InetSocketAddress address = readPeer(src, at + NodeId.LENGTH);
            if (address != null)
            {
                out.add(new Contact(NodeId.of(src, at), address));
            }
        }
        return out;
    }
}
