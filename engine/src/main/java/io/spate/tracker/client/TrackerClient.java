package io.spate.tracker.client;

import io.netty.util.NetUtil;
import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeException;
import io.spate.tracker.AnnounceEvent;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP tracker client (control path): announce (BEP 3) with compact (BEP 23), dictionary and IPv6 (BEP 7) peer
 * lists, and scrape (BEP 48). Blocking calls; thread-safe (one JDK {@link HttpURLConnection} per request, kept-alive
 * connections reused by the JDK). Not {@code java.net.http.HttpClient}: its first request cost ~0.5 s of wall time
 * and ~0.4 CPU-s in a fresh JVM (its default SSLContext, selector thread and classes) against ~30 ms here, and that
 * start-up sat between launching a leecher and its first peer.
 * <pre>{@code
 * TrackerClient client = new TrackerClient();
 * AnnounceResponse r = client.announce(URI.create("http://127.0.0.1:6969/announce"),
 *     AnnounceParams.of(infoHash, peerId, 6881, left, AnnounceEvent.STARTED));
 * // r.peers(), r.intervalSeconds(); a failure reason is thrown as TrackerFailureException
 * }</pre>
 */
public final class TrackerClient
{
    /** Default time allowed for one request, connect included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** A reply larger than this is refused (a tracker reply is a few KiB; a hostile one must not fill the heap). */
    public static final int MAX_REPLY_BYTES = 8 << 20;

    private final long timeoutNs;
    private final UdpTrackerClient udp;

    public TrackerClient()
    {
        this(DEFAULT_TIMEOUT);
    }

    /** @param timeout allowed for one request, from connecting to the last byte of the reply. */
    public TrackerClient(final Duration timeout)
    {
        this.timeoutNs = timeout.toNanos();
        this.udp = new UdpTrackerClient(timeout.toMillis());
    }

    /**
     * Announces to a tracker.
     *
     * @param announceUrl the torrent's announce URL (may already carry a query, e.g. a passkey).
     * @throws TrackerFailureException if the tracker sent a {@code failure reason}.
     * @throws IOException             on a network error, a non-200 status or a malformed reply.
     */
    public AnnounceResponse announce(final URI announceUrl, final AnnounceParams params)
        throws IOException
    {
        if ("udp".equalsIgnoreCase(announceUrl.getScheme()))
        {
            return udp.announce(announceUrl, params); // BEP 15
        }
        final StringBuilder query = new StringBuilder(256);
        query.append("info_hash=");
        percentEncode(params.infoHash(), query);
        query.append("&peer_id=");
        percentEncode(params.peerId(), query);
        query.append("&port=").append(params.port())
            .append("&uploaded=").append(params.uploaded())
            .append("&downloaded=").append(params.downloaded())
            .append("&left=").append(params.left())
            .append("&numwant=").append(params.numWant())
            .append("&compact=").append(params.compact() ? 1 : 0);
        if (params.event().queryValue() != null)
        {
            query.append("&event=").append(params.event().queryValue());
        }
        final Map<String, BValue> reply = get(withQuery(announceUrl, query));
        final BValue.BInteger interval = integer(reply, "interval");
        if (interval == null)
        {
            throw new IOException("tracker reply has no interval");
        }
        final List<InetSocketAddress> peers = new ArrayList<>();
        final BValue peersValue = reply.get("peers");
        if (peersValue instanceof BValue.BString compact)
        {
            compactPeers(compact.bytes(), 4, peers);
        }
        else if (peersValue instanceof BValue.BList list)
        {
            dictionaryPeers(list, peers);
        }
        else if (peersValue != null)
        {
            throw new IOException("tracker reply: peers is neither a string nor a list");
        }
        if (reply.get("peers6") instanceof BValue.BString compact6)
        {
            compactPeers(compact6.bytes(), 16, peers);
        }
        final BValue warning = reply.get("warning message");
        return new AnnounceResponse(
            (int)interval.value(),
            intOr(reply, "min interval", -1),
            intOr(reply, "complete", -1),
            intOr(reply, "incomplete", -1),
            peers,
            warning instanceof BValue.BString s ? s.utf8() : null);
    }

    /**
     * Scrapes a tracker for several swarms in one request.
     *
     * @param announceUrl the announce URL; the scrape URL is derived from it ({@link #scrapeUrl}).
     * @return the swarms the tracker reported, in its order (it may omit some).
     */
    public List<ScrapeEntry> scrape(final URI announceUrl, final List<byte[]> infoHashes)
        throws IOException
    {
        final StringBuilder query = new StringBuilder(64 * infoHashes.size());
        for (final byte[] hash : infoHashes)
        {
            if (hash.length != 20)
            {
                throw new IllegalArgumentException("info-hash must be 20 bytes");
            }
            query.append(query.length() == 0 ? "info_hash=" : "&info_hash=");
            percentEncode(hash, query);
        }
        final Map<String, BValue> reply = get(withQuery(scrapeUrl(announceUrl), query));
        if (!(reply.get("files") instanceof BValue.BDict files))
        {
            throw new IOException("scrape reply has no files dictionary");
        }
        final List<ScrapeEntry> out = new ArrayList<>();
        for (final Map.Entry<String, BValue> e : files.entries().entrySet())
        {
            if (e.getValue() instanceof BValue.BDict stats)
            {
                out.add(new ScrapeEntry(e.getKey().getBytes(StandardCharsets.ISO_8859_1),
                    longOr(stats.entries(), "complete"), longOr(stats.entries(), "incomplete"),
                    longOr(stats.entries(), "downloaded")));
            }
        }
        return out;
    }

    /** Reads the whole reply, refusing one over {@link #MAX_REPLY_BYTES} or one still dripping at the deadline. */
    private static byte[] readBounded(final InputStream in, final URI uri, final long deadline) throws IOException
    {
        final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(4096);
        final byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0)
        {
            body.write(chunk, 0, n);
            if (body.size() > MAX_REPLY_BYTES)
            {
                throw new IOException("tracker reply from " + uri.getHost() + " exceeds " + MAX_REPLY_BYTES +
                    " bytes");
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IOException("tracker reply from " + uri.getHost() + " still arriving after the timeout");
            }
        }
        return body.toByteArray();
    }

    /**
     * The scrape URL of an announce URL (BEP 48): the last path segment {@code announce...} becomes
     * {@code scrape...}.
     *
     * @throws IllegalArgumentException if the announce URL's last path segment does not start with "announce".
     */
    public static URI scrapeUrl(final URI announceUrl)
    {
        final String url = announceUrl.toString();
        final int queryStart = url.indexOf('?');
        final String path = queryStart < 0 ? url : url.substring(0, queryStart);
        final int slash = path.lastIndexOf('/');
        if (slash < 0 || !path.startsWith("announce", slash + 1))
        {
            throw new IllegalArgumentException("tracker does not support scrape: " + announceUrl);
        }
        return URI.create(path.substring(0, slash + 1) + "scrape" + url.substring(slash + 1 + "announce".length()));
    }

    private Map<String, BValue> get(final URI uri) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        final int timeoutMs = (int)Math.max(1, Math.min(Integer.MAX_VALUE, timeoutNs / 1_000_000));
        final HttpURLConnection connection = (HttpURLConnection)uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setConnectTimeout(timeoutMs);
        connection.setReadTimeout(timeoutMs);
        connection.setInstanceFollowRedirects(true);
        connection.setUseCaches(false);
        final int status;
        final byte[] body;
        try
        {
            status = connection.getResponseCode();
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream())
            {
                body = in == null ? new byte[0] : readBounded(in, uri, deadline);
            }
        }
        catch (final IOException ex)
        {
            connection.disconnect();
            throw ex;
        }
        Map<String, BValue> reply = null;
        try
        {
            if (BencodeDecoder.decodeLenient(body) instanceof BValue.BDict dict)
            {
                reply = dict.entries();
            }
        }
        catch (final BencodeException e)
        {
            if (status == 200)
            {
                throw new IOException("malformed tracker reply from " + uri.getHost() + ": " + e.getMessage(), e);
            }
        }
        if (reply != null && reply.get("failure reason") instanceof BValue.BString reason)
        {
            throw new TrackerFailureException(reason.utf8());
        }
        if (status != 200)
        {
            throw new IOException("tracker " + uri.getHost() + " replied HTTP " + status);
        }
        if (reply == null)
        {
            throw new IOException("tracker reply from " + uri.getHost() + " is not a dictionary");
        }
        return reply;
    }

    private static URI withQuery(final URI base, final CharSequence query)
    {
        final String url = base.toString();
        return URI.create(url + (url.indexOf('?') < 0 ? '?' : '&') + query);
    }

    /** Percent-encodes every byte outside the unreserved set of RFC 3986. */
    static void percentEncode(final byte[] bytes, final StringBuilder out)
    {
        for (final byte b : bytes)
        {
            final int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~')
            {
                out.append((char)c);
            }
            else
            {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
    }

    private static void compactPeers(final byte[] bytes, final int addressLength, final List<InetSocketAddress> out)
        throws IOException
    {
        final int entry = addressLength + 2;
        if (bytes.length % entry != 0)
        {
            throw new IOException("compact peer list of " + bytes.length + " bytes is not a multiple of " + entry);
        }
        for (int offset = 0; offset < bytes.length; offset += entry)
        {
            final byte[] address = new byte[addressLength];
            System.arraycopy(bytes, offset, address, 0, addressLength);
            final int port = ((bytes[offset + addressLength] & 0xFF) << 8) | (bytes[offset + addressLength + 1] & 0xFF);
            out.add(new InetSocketAddress(InetAddress.getByAddress(address), port));
        }
    }

    private static void dictionaryPeers(final BValue.BList list, final List<InetSocketAddress> out)
        throws UnknownHostException
    {
        for (final BValue value : list.values())
        {
            if (value instanceof BValue.BDict peer && peer.get("ip") instanceof BValue.BString ip &&
                peer.get("port") instanceof BValue.BInteger port && port.value() > 0 && port.value() < 65536)
            {
                final String host = ip.utf8();
                final byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
                out.add(literal != null ?
                    new InetSocketAddress(InetAddress.getByAddress(literal), (int)port.value()) :
                    InetSocketAddress.createUnresolved(host, (int)port.value()));
            }
        }
    }

    private static BValue.BInteger integer(final Map<String, BValue> dict, final String key)
    {
        return dict.get(key) instanceof BValue.BInteger i ? i : null;
    }

    private static int intOr(final Map<String, BValue> dict, final String key, final int absent)
    {
        final BValue.BInteger i = integer(dict, key);
        return i == null ? absent : (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, i.value()));
    }

    private static long longOr(final Map<String, BValue> dict, final String key)
    {
        final BValue.BInteger i = integer(dict, key);
        return i == null ? 0 : i.value();
    }
}
