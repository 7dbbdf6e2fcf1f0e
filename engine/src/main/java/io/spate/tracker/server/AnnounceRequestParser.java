package io.spate.tracker.server;

import io.netty.util.NetUtil;
import io.spate.tracker.AnnounceEvent;

import java.nio.charset.StandardCharsets;

/**
 * Validates the query string of an announce (BEP 3, 23, 7) or a scrape (BEP 48) into a reusable request. Every
 * failure is a human-readable reason naming the parameter, sent back as {@code failure reason}; a request that fails
 * never reaches the registry.
 * <ul>
 *   <li>{@code info_hash}, {@code peer_id}: exactly 20 raw bytes after percent-decoding; required.</li>
 *   <li>{@code port}: 1..65535; {@code uploaded}, {@code downloaded}, {@code left}: non-negative integers; all
 *   required.</li>
 *   <li>{@code event}: {@code started}, {@code completed}, {@code stopped}, {@code empty} or absent.</li>
 *   <li>{@code numwant}: non-negative integer, default 50, capped at 200; {@code compact}, {@code no_peer_id}:
 *   0 or 1, compact by default.</li>
 *   <li>{@code ip}: ignored unless the parser trusts it, then it must be an IPv4 or IPv6 literal (no DNS).</li>
 *   <li>A parameter given twice is refused; unknown parameters ({@code key}, {@code corrupt}, ...) are ignored.</li>
 * </ul>
 * Single-threaded (it owns a scratch buffer); allocates nothing on success.
 */
public final class AnnounceRequestParser
{
    private static final int INFO_HASH = 1;
    private static final int PEER_ID = 1 << 1;
    private static final int PORT = 1 << 2;
    private static final int UPLOADED = 1 << 3;
    private static final int DOWNLOADED = 1 << 4;
    private static final int LEFT = 1 << 5;
    private static final int EVENT = 1 << 6;
    private static final int NUMWANT = 1 << 7;
    private static final int COMPACT = 1 << 8;
    private static final int NO_PEER_ID = 1 << 9;
    private static final int IP = 1 << 10;
    private static final int REQUIRED = INFO_HASH | PEER_ID | PORT | UPLOADED | DOWNLOADED | LEFT;

    private static final String BAD_INFO_HASH = "invalid info_hash: must be 20 bytes";
    /** Every event, for matching the parameter; {@code values()} would copy the array at every announce. */
    private static final AnnounceEvent[] EVENTS = AnnounceEvent.values();

    private final boolean trustIpParam;
    private final byte[] scratch = new byte[256];

    // The one tokenizer of both queries: the parameter under the cursor, read by nextParameter().
    private CharSequence query;
    private int queryEnd;
    private int nameStart;
    private int nameEnd;
    private int valueEnd;
    private int nextStart;

    public AnnounceRequestParser(final boolean trustIpParam)
    {
        this.trustIpParam = trustIpParam;
    }

    /**
     * Parses the query of an announce.
     *
     * @param uri   the request target.
     * @param from  index of the first character of the query (after {@code ?}); {@code uri.length()} if none.
     * @return null on success, else the failure reason.
     */
    public String parseAnnounce(final CharSequence uri, final int from, final AnnounceRequest out)
    {
        out.clear();
        int seen = 0;
        startQuery(uri, from);
        while (nextParameter())
        {
            final int bit = nameBit(query, nameStart, nameEnd);
            if (bit != 0)
            {
                if ((seen & bit) != 0)
                {
                    return "duplicate parameter " + name(bit);
                }
                seen |= bit;
                final int length = decodeValue();
                final String failure = length == QueryDecoder.MALFORMED ? malformed(bit) : apply(bit, length, out);
                if (failure != null)
                {
                    return failure;
                }
            }
        }
        if ((seen & REQUIRED) != REQUIRED)
        {
            return "missing parameter " + name(Integer.lowestOneBit(REQUIRED & ~seen));
        }
        return null;
    }

    /**
     * Parses the query of a scrape: one or more {@code info_hash}, other parameters ignored.
     *
     * @return null on success, else the failure reason.
     */
    public String parseScrape(final CharSequence uri, final int from, final ScrapeRequest out)
    {
        out.count = 0;
        startQuery(uri, from);
        while (nextParameter())
        {
            if (nameBit(query, nameStart, nameEnd) == INFO_HASH)
            {
                if (out.count == ScrapeRequest.MAX_INFO_HASHES)
                {
                    return "too many info_hash: at most " + ScrapeRequest.MAX_INFO_HASHES + " per scrape";
                }
                final int length = decodeValue();
                if (length == QueryDecoder.MALFORMED)
                {
                    return malformed(INFO_HASH);
                }
                if (length != InfoHashKey.LENGTH)
                {
                    return BAD_INFO_HASH;
                }
                System.arraycopy(scratch, 0, out.infoHashes, out.count * InfoHashKey.LENGTH, InfoHashKey.LENGTH);
                out.count++;
            }
        }
        return out.count == 0 ? "missing parameter info_hash" : null;
    }

    private void startQuery(final CharSequence uri, final int from)
    {
        query = uri;
        queryEnd = uri.length();
        nextStart = from;
    }

    /**
     * Moves the cursor to the query's next {@code name=value}, split at {@code &} (the {@code =} and the value may be
     * missing: an empty value).
     *
     * @return false at the end of the query.
     */
    private boolean nextParameter()
    {
        if (nextStart >= queryEnd)
        {
            return false;
        }
        nameStart = nextStart;
        valueEnd = nameStart;
        while (valueEnd < queryEnd && query.charAt(valueEnd) != '&')
        {
            valueEnd++;
        }
        nameEnd = nameStart;
        while (nameEnd < valueEnd && query.charAt(nameEnd) != '=')
        {
            nameEnd++;
        }
        nextStart = valueEnd + 1;
        return true;
    }

    /** @return the length of the cursor's value percent-decoded into {@link #scratch}, see QueryDecoder.decode. */
    private int decodeValue()
    {
        return QueryDecoder.decode(query, nameEnd < valueEnd ? nameEnd + 1 : valueEnd, valueEnd, scratch);
    }

    private static String malformed(final int bit)
    {
        return "invalid " + name(bit) + ": malformed percent-encoding";
    }

    private String apply(final int bit, final int length, final AnnounceRequest out)
    {
        switch (bit)
        {
            case INFO_HASH:
                return copy20(length, out.infoHash, BAD_INFO_HASH);
            case PEER_ID:
                return copy20(length, out.peerId, "invalid peer_id: must be 20 bytes");
            case PORT:
            {
                final long port = QueryDecoder.parseNonNegative(scratch, length);
                if (port < 1 || port > 65535)
                {
                    return "invalid port: must be an integer from 1 to 65535";
                }
                out.port = (int)port;
                return null;
            }
            case UPLOADED:
                out.uploaded = QueryDecoder.parseNonNegative(scratch, length);
                return out.uploaded < 0 ? "invalid uploaded: must be a non-negative integer" : null;
            case DOWNLOADED:
                out.downloaded = QueryDecoder.parseNonNegative(scratch, length);
                return out.downloaded < 0 ? "invalid downloaded: must be a non-negative integer" : null;
            case LEFT:
                out.left = QueryDecoder.parseNonNegative(scratch, length);
                return out.left < 0 ? "invalid left: must be a non-negative integer" : null;
            case EVENT:
                return parseEvent(length, out);
            case NUMWANT:
            {
                final long numWant = QueryDecoder.parseNonNegative(scratch, length);
                if (numWant < 0)
                {
                    return "invalid numwant: must be a non-negative integer";
                }
                out.numWant = (int)Math.min(numWant, AnnounceResult.MAX_PEERS);
                return null;
            }
            case COMPACT:
                if (!isFlag(length))
                {
                    return "invalid compact: must be 0 or 1";
                }
                out.compact = scratch[0] == '1';
                return null;
            case NO_PEER_ID:
                if (!isFlag(length))
                {
                    return "invalid no_peer_id: must be 0 or 1";
                }
                out.noPeerId = scratch[0] == '1';
                return null;
            case IP:
                return trustIpParam ? parseIp(length, out) : null;
            default:
                throw new IllegalStateException("unknown parameter bit " + bit);
        }
    }

    private String copy20(final int length, final byte[] dst, final String failure)
    {
        if (length != 20)
        {
            return failure;
        }
        System.arraycopy(scratch, 0, dst, 0, 20);
        return null;
    }

    private String parseEvent(final int length, final AnnounceRequest out)
    {
        if (length == 0 || QueryDecoder.equalsAscii(scratch, length, "empty"))
        {
            out.event = AnnounceEvent.NONE;
            return null;
        }
        for (final AnnounceEvent event : EVENTS)
        {
            if (event.queryValue() != null && QueryDecoder.equalsAscii(scratch, length, event.queryValue()))
            {
                out.event = event;
                return null;
            }
        }
        return "invalid event: must be started, completed, stopped or empty";
    }

    private String parseIp(final int length, final AnnounceRequest out)
    {
        final byte[] address = length > 0 && length <= 64 ?
            NetUtil.createByteArrayFromIpAddressString(new String(scratch, 0, length, StandardCharsets.US_ASCII)) :
            null;
        if (address == null)
        {
            return "invalid ip: must be an IPv4 or IPv6 address";
        }
        out.hasIp = true;
        out.ipHi = PeerAddress.hi(address);
        out.ipLo = PeerAddress.lo(address);
        return null;
    }

    private boolean isFlag(final int length)
    {
        return length == 1 && (scratch[0] == '0' || scratch[0] == '1');
    }

    private static int nameBit(final CharSequence uri, final int start, final int end)
    {
        switch (end - start)
        {
            case 2:
                return matches(uri, start, "ip") ? IP : 0;
            case 4:
                return matches(uri, start, "port") ? PORT : (matches(uri, start, "left") ? LEFT : 0);
            case 5:
                return matches(uri, start, "event") ? EVENT : 0;
            case 7:
                return matches(uri, start, "peer_id") ? PEER_ID : (matches(uri, start, "numwant") ? NUMWANT :
                    (matches(uri, start, "compact") ? COMPACT : 0));
            case 8:
                return matches(uri, start, "uploaded") ? UPLOADED : 0;
            case 9:
                return matches(uri, start, "info_hash") ? INFO_HASH : 0;
            case 10:
                return matches(uri, start, "downloaded") ? DOWNLOADED : (matches(uri, start, "no_peer_id") ?
                    NO_PEER_ID : 0);
            default:
                return 0;
        }
    }

    private static boolean matches(final CharSequence uri, final int start, final String name)
    {
        for (int i = 0; i < name.length(); i++)
        {
            if (uri.charAt(start + i) != name.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static String name(final int bit)
    {
        switch (bit)
        {
            case INFO_HASH: return "info_hash";
            case PEER_ID: return "peer_id";
            case PORT: return "port";
            case UPLOADED: return "uploaded";
            case DOWNLOADED: return "downloaded";
            case LEFT: return "left";
            case EVENT: return "event";
            case NUMWANT: return "numwant";
            case COMPACT: return "compact";
            case NO_PEER_ID: return "no_peer_id";
            case IP: return "ip";
            default: return "?";
        }
    }
}
