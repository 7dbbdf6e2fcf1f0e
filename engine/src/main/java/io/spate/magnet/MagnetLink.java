package io.spate.magnet;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.UrlList;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A BEP 9 magnet link: {@code magnet:?xt=urn:btih:HASH&dn=NAME&tr=URL&x.pe=HOST:PORT&ws=URL}. The info-hash is 40
 * hex characters or 32 base32 characters; {@code tr}, {@code x.pe} and {@code ws} may repeat; other parameters are
 * ignored. {@code ws} (web seed) is not in BEP 9 but libtorrent and WebTorrent write and read it: the BEP 19
 * {@code url-list} a magnet link cannot otherwise carry, since it lies outside the info dictionary.
 * Errors are {@link IllegalArgumentException}s that name the parameter.
 *
 * @param infoHash    the 20-byte v1 info-hash.
 * @param displayName {@code dn}, or null.
 * @param trackers    {@code tr} URLs, in order, duplicates dropped.
 * @param peers       {@code x.pe} addresses, unresolved.
 * @param webSeeds    {@code ws} http(s) URLs, in order, duplicates dropped.
 */
public record MagnetLink(byte[] infoHash, String displayName, List<URI> trackers, List<InetSocketAddress> peers,
    List<String> webSeeds)
{
    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public MagnetLink
    {
        if (infoHash == null || infoHash.length != 20)
        {
            throw new IllegalArgumentException("info-hash must be 20 bytes");
        }
        infoHash = infoHash.clone();
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        webSeeds = List.copyOf(webSeeds);
    }

    /** A link without web seeds. */
    public MagnetLink(final byte[] infoHash, final String displayName, final List<URI> trackers,
        final List<InetSocketAddress> peers)
    {
        this(infoHash, displayName, trackers, peers, List.of());
    }

    @Override
    public byte[] infoHash()
    {
        return infoHash.clone();
    }

    /** @return true if {@code text} looks like a magnet link rather than a file name. */
    public static boolean isMagnet(final String text)
    {
        return text.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Parses a magnet link; the message of any error names what is wrong. */
    public static MagnetLink parse(final String text)
    {
        if (!isMagnet(text))
        {
            throw new IllegalArgumentException("not a magnet link (must start with magnet:?)");
        }
        byte[] infoHash = null;
        String displayName = null;
        final List<URI> trackers = new ArrayList<>();
        final List<InetSocketAddress> peers = new ArrayList<>();
        final List<String> webSeeds = new ArrayList<>();
        for (final String pair : text.substring(PREFIX.length()).split("&"))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String key = eq < 0 ? pair : pair.substring(0, eq);
            final String value = eq < 0 ? "" : decode(key, pair.substring(eq + 1));
            switch (key)
            {
                case "xt" ->
                {
                    if (value.regionMatches(true, 0, BTIH, 0, BTIH.length()))
                    {
                        if (infoHash != null)
                        {
                            throw new IllegalArgumentException("xt: more than one urn:btih info-hash");
                        }
                        infoHash = infoHash(value.substring(BTIH.length()));
                    }
                    // other xt kinds (urn:btmh: v2 hashes) are not ours to read
                }
                case "dn" -> displayName = value;
                case "tr" ->
                {
                    final URI tracker = tracker(value);
                    if (!trackers.contains(tracker))
                    {
                        trackers.add(tracker);
                    }
                }
                case "x.pe" -> peers.add(peer(value));
                case "ws" ->
                {
                    final String url = webSeed(value);
                    if (!webSeeds.contains(url))
                    {
                        webSeeds.add(url);
                    }
                }
                default ->
                {
                    // xl, so, kt, ... : not used here
                }
            }
        }
        if (infoHash == null)
        {
            throw new IllegalArgumentException("xt: no urn:btih: info-hash (a v1 info-hash is required)");
        }
        if (webSeeds.size() > UrlList.MAX_URLS)
        {
            throw new IllegalArgumentException("ws: " + webSeeds.size() + " web seeds exceed the limit of " +
                UrlList.MAX_URLS);
        }
        return new MagnetLink(infoHash, displayName, trackers, peers, webSeeds);
    }

    /**
     * @return the link of a torrent: its info-hash, name, http(s)/udp trackers in announce-list order, and web seeds.
     */
    public static MagnetLink of(final Metainfo metainfo)
    {
        final List<URI> trackers = new ArrayList<>();
        for (final String url : metainfo.trackers())
        {
            try
            {
                final URI uri = tracker(url);
                if (!trackers.contains(uri))
                {
                    trackers.add(uri);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // a tracker a magnet link cannot carry is left out
            }
        }
        return new MagnetLink(metainfo.infoHash(), metainfo.name(), trackers, List.of(), metainfo.urlList());
    }

    /**
     * @return the link as text: {@code magnet:?xt=urn:btih:HEX}, then {@code dn}, {@code tr}s, {@code x.pe}s and
     * {@code ws}s.
     */
    public String toUri()
    {
        final StringBuilder sb = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHashHex());
        if (displayName != null)
        {
            sb.append("&dn=").append(encode(displayName));
        }
        for (final URI tracker : trackers)
        {
            sb.append("&tr=").append(encode(tracker.toString()));
        }
        for (final InetSocketAddress peer : peers)
        {
            final String host = peer.getHostString();
            sb.append("&x.pe=").append(encode(host.indexOf(':') >= 0 ? "[" + host + "]" : host))
                .append(':').append(peer.getPort());
        }
        for (final String webSeed : webSeeds)
        {
            sb.append("&ws=").append(encode(webSeed));
        }
        return sb.toString();
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return the info-hash as 40 lowercase hex characters. */
    public String infoHashHex()
    {
        return HexFormat.of().formatHex(infoHash);
    }

    private static String decode(final String key, final String value)
    {
        try
        {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(key + ": bad percent-encoding: " + value, ex);
        }
    }

    private static byte[] infoHash(final String text)
    {
        if (text.length() == 40)
        {
            try
            {
                return HexFormat.of().parseHex(text);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("xt: info-hash is not 40 hex characters: " + text, ex);
            }
        }
        if (text.length() == 32)
        {
            return base32(text);
        }
        throw new IllegalArgumentException("xt: info-hash must be 40 hex or 32 base32 characters, got " +
            text.length() + ": " + text);
    }

    /** RFC 4648 base32 without padding: 32 characters are exactly 20 bytes. */
    private static byte[] base32(final String text)
    {
        final byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int at = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final int v = BASE32.indexOf(Character.toUpperCase(text.charAt(i)));
            if (v < 0)
            {
                throw new IllegalArgumentException("xt: info-hash is not base32 (bad character '" + text.charAt(i) +
                    "'): " + text);
            }
            buffer = buffer << 5 | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                out[at++] = (byte)(buffer >>> bits);
            }
        }
        return out;
    }

    private static URI tracker(final String url)
    {
        try
        {
            final URI uri = new URI(url);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("udp"))
            {
                throw new IllegalArgumentException("tr: not a tracker URL: " + url);
            }
            return uri;
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalArgumentException("tr: not a URL: " + url, ex);
        }
    }

    /** An http(s) URL with a host, at most {@link UrlList#MAX_URL_BYTES} bytes: what BEP 19's url-list may hold. */
    private static String webSeed(final String url)
    {
        if (url.getBytes(StandardCharsets.UTF_8).length > UrlList.MAX_URL_BYTES)
        {
            throw new IllegalArgumentException("ws: URL longer than " + UrlList.MAX_URL_BYTES + " bytes");
        }
        try
        {
            final URI uri = new URI(url);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null)
            {
                throw new IllegalArgumentException("ws: not an http(s) URL with a host: " + url);
            }
            return url;
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalArgumentException("ws: not a URL: " + url, ex);
        }
    }

    /** {@code host:port}, {@code ipv4:port} or {@code [ipv6]:port}. */
    static InetSocketAddress peer(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("x.pe: must be HOST:PORT, got " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("x.pe: an IPv6 address must be in brackets: " + text);
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("x.pe: bad port in " + text, ex);
        }
        if (port < 1 || port > 65535 || host.isEmpty())
        {
            throw new IllegalArgumentException("x.pe: port must be 1..65535 and the host not empty: " + text);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
