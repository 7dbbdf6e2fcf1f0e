package io.spate.dht;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeException;
import io.spate.bencode.BencodeLimits;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a datagram into a {@link KrpcMessage}, or refuses it with the counter that says why. The strict bencode
 * decoder runs under limits sized for KRPC (a datagram, a few levels, a few hundred values), so a hostile packet costs
 * no more than its own size; every field is then checked for type and length. Keys we do not know ("v", "ip", "ro",
 * "want"...) are ignored, as BEP 5 implementations extend messages freely. One instance per thread.
 */
public final class KrpcDecoder
{
    /** Largest datagram accepted: an Ethernet MTU's worth, more than any BEP 5 message needs. */
    public static final int MAX_PACKET = 1500;
    /** Longest transaction id accepted (BEP 5 suggests 2 bytes; some clients use 4-8). */
    public static final int MAX_TRANSACTION_ID = 16;
    /** Longest token accepted (ours are 8 bytes, libtorrent's 4, some 20). */
    public static final int MAX_TOKEN = 64;
    /** Dictionary in dictionary in list in ...: KRPC needs 3 levels ("r" / "values" / a peer). */
    private static final BencodeLimits LIMITS = new BencodeLimits(4, MAX_PACKET, MAX_PACKET, 400);

    private final BencodeDecoder decoder = new BencodeDecoder(LIMITS, false);

    /** @return the message in {@code buffer[0, length)}. */
    public KrpcMessage decode(final byte[] buffer, final int length) throws KrpcDropException
    {
        if (length > MAX_PACKET)
        {
            throw new KrpcDropException(DhtCounter.DROPPED_OVERSIZED, "datagram of " + length + " bytes");
        }
        final BValue top;
        try
        {
            top = decoder.decode(buffer, 0, length);
        }
        catch (final BencodeException e)
        {
            final String reason = e.reason();
            final boolean tooBig = reason.contains("exceeds the limit") || reason.startsWith("more than") ||
                reason.startsWith("nesting deeper");
            throw new KrpcDropException(tooBig ? DhtCounter.DROPPED_OVERSIZED : DhtCounter.DROPPED_MALFORMED,
                e.getMessage());
        }
        if (!(top instanceof BValue.BDict dict))
        {
            throw invalid("not a dictionary");
        }
        final byte[] t = bytes(dict, "t", 1, MAX_TRANSACTION_ID, true);
        final String y = text(dict, "y");
        return switch (y)
        {
            case "q" -> query(dict, t);
            case "r" -> response(dict, t);
            case "e" -> error(dict, t);
            default -> throw invalid("y is '" + y + "'");
        };
    }

    private static KrpcMessage query(final BValue.BDict dict, final byte[] t) throws KrpcDropException
    {
        final String method = text(dict, "q");
        final BValue.BDict a = dictionary(dict, "a");
        final NodeId id = id(a, "id");
        NodeId target = null;
        byte[] token = null;
        int port = 0;
        boolean implied = false;
        switch (method)
        {
            case KrpcMessage.FIND_NODE -> target = id(a, "target");
            case KrpcMessage.GET_PEERS -> target = id(a, "info_hash");
            case KrpcMessage.ANNOUNCE_PEER ->
            {
                target = id(a, "info_hash");
                token = bytes(a, "token", 1, MAX_TOKEN, true);
                implied = a.get("implied_port") != null && integer(a, "implied_port") != 0;
                if (!implied)
                {
                    final long p = integer(a, "port");
                    if (p < 1 || p > 65535)
                    {
                        throw invalid("port " + p);
                    }
                    port = (int)p;
                }
            }
            default ->
            {
                // ping has nothing more; an unknown method is answered with error 204 by the caller
            }
        }
        return new KrpcMessage(KrpcMessage.Kind.QUERY, t, method, id, target, token, port, implied, List.of(),
            List.of(), 0, null);
    }

    private static KrpcMessage response(final BValue.BDict dict, final byte[] t) throws KrpcDropException
    {
        final BValue.BDict r = dictionary(dict, "r");
        final NodeId id = id(r, "id");
        final byte[] token = bytes(r, "token", 0, MAX_TOKEN, false);
        final byte[] nodeBytes = bytes(r, "nodes", 0, KrpcDecoder.MAX_PACKET, false);
        List<Contact> nodes = List.of();
        if (nodeBytes != null)
        {
            try
            {
                nodes = CompactInfo.readNodes(nodeBytes);
            }
            catch (final IllegalArgumentException e)
            {
                throw invalid(e.getMessage());
            }
        }
        List<InetSocketAddress> values = List.of();
        final BValue v = r.get("values");
        if (v != null)
        {
            if (!(v instanceof BValue.BList list))
            {
                throw invalid("values is not a list");
            }
            values = new ArrayList<>(list.values().size());
            for (final BValue peer : list.values())
            {
                if (!(peer instanceof BValue.BString s) || (s.bytes().length != 6 && s.bytes().length != 18))
                {
                    throw invalid("a value is not a 6- or 18-byte string");
                }
                // 18 bytes is an IPv6 peer (BEP 32): valid, but this node speaks IPv4 only
                final InetSocketAddress address = s.bytes().length == 6 ? CompactInfo.readPeer(s.bytes(), 0) : null;
                if (address != null)
                {
                    values.add(address);
                }
            }
        }
        return new KrpcMessage(KrpcMessage.Kind.RESPONSE, t, null, id, null, token, 0, false, nodes, values, 0,
            null);
    }

    private static KrpcMessage error(final BValue.BDict dict, final byte[] t) throws KrpcDropException
    {
        if (!(dict.get("e") instanceof BValue.BList list) || list.values().isEmpty() ||
            !(list.values().get(0) instanceof BValue.BInteger code))
        {
            throw invalid("e is not a list starting with an integer");
        }
        final String text = list.values().size() > 1 && list.values().get(1) instanceof BValue.BString s ?
            s.utf8() : "";
        return new KrpcMessage(KrpcMessage.Kind.ERROR, t, null, null, null, null, 0, false, List.of(), List.of(),
            (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code.value())), text);
    }

    private static NodeId id(final BValue.BDict dict, final String key) throws KrpcDropException
    {
        return NodeId.of(bytes(dict, key, NodeId.LENGTH, NodeId.LENGTH, true));
    }

    private static BValue.BDict dictionary(final BValue.BDict dict, final String key) throws KrpcDropException
    {
        if (!(dict.get(key) instanceof BValue.BDict d))
        {
            throw invalid(key + " is not a dictionary");
        }
        return d;
    }

    private static long integer(final BValue.BDict dict, final String key) throws KrpcDropException
    {
        if (!(dict.get(key) instanceof BValue.BInteger i))
        {
            throw invalid(key + " is not an integer");
        }
        return i.value();
    }

    private static String text(final BValue.BDict dict, final String key) throws KrpcDropException
    {
        return new String(bytes(dict, key, 1, 32, true), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(final BValue.BDict dict, final String key, final int min, final int max,
        final boolean required) throws KrpcDropException
    {
        final BValue value = dict.get(key);
        if (value == null && !required)
        {
            return null;
        }
        if (!(value instanceof BValue.BString s))
        {
            throw invalid(key + (value == null ? " is missing" : " is not a string"));
        }
        if (s.bytes().length < min || s.bytes().length > max)
        {
            throw invalid(key + " is " + s.bytes().length + " bytes, not " + min + "-" + max);
        }
        return s.bytes();
    }

    private static KrpcDropException invalid(final String reason)
    {
        return new KrpcDropException(DhtCounter.DROPPED_INVALID, reason);
    }
}
