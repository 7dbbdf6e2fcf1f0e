package io.spate.metainfo;

import io.spate.bencode.BValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A torrent's web seeds (BEP 19, {@code url-list}: one URL as a string, or a list of them). The field lies outside
 * the info dictionary and any client may ignore it, so what a client cannot use is skipped with a warning (an ftp://
 * URL, a URL without a host, one that does not parse) while what only a hostile file holds is refused: a value that
 * is neither a string nor a list, an entry that is not a string, more than {@link #MAX_URLS} entries, an entry longer
 * than {@link #MAX_URL_BYTES}.
 */
public final class UrlList
{
    /** Entries a url-list may hold (libtorrent's torrents in the wild hold a handful). */
    public static final int MAX_URLS = 64;
    /** Bytes an entry may hold (the de-facto limit of browsers and servers is about 2,000). */
    public static final int MAX_URL_BYTES = 2048;

    /** The usable http(s) URLs, in order, without duplicates; and a warning for each entry skipped. */
    record Parsed(List<String> urls, List<String> warnings)
    {
    }

    private UrlList()
    {
    }

    static Parsed parse(final BValue value)
    {
        final List<String> urls = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        if (value == null)
        {
            return new Parsed(urls, warnings);
        }
        if (value instanceof BValue.BString s)
        {
            entry(s, "url-list", urls, warnings);
        }
        else if (value instanceof BValue.BList list)
        {
            if (list.values().size() > MAX_URLS)
            {
                throw new MetainfoException("url-list: " + list.values().size() + " entries exceed the limit of " +
                    MAX_URLS);
            }
            for (int i = 0; i < list.values().size(); i++)
            {
                final String field = "url-list[" + i + "]";
                if (!(list.values().get(i) instanceof BValue.BString s))
                {
                    throw new MetainfoException(field + ": expected a string, found " + kind(list.values().get(i)));
                }
                entry(s, field, urls, warnings);
            }
        }
        else
        {
            throw new MetainfoException("url-list: expected a string or a list of strings, found " + kind(value));
        }
        return new Parsed(List.copyOf(urls), List.copyOf(warnings));
    }

    private static void entry(final BValue.BString value, final String field, final List<String> urls,
        final List<String> warnings)
    {
        if (value.bytes().length > MAX_URL_BYTES)
        {
            throw new MetainfoException(field + ": " + value.bytes().length + " bytes exceed the limit of " +
                MAX_URL_BYTES);
        }
        final String url = value.utf8();
        if (url.isEmpty())
        {
            return; // an empty url-list is how many creators say "none"
        }
        final String problem = problem(url);
        if (problem != null)
        {
            warnings.add(field + ": web seed '" + printable(url) + "' ignored: " + problem);
        }
        else if (!urls.contains(url))
        {
            urls.add(url);
        }
    }

    /**
     * Checks a web seed URL as {@code create --web-seed} and the parser take it.
     *
     * @return null if it is an http or https URL with a host, no user information and no fragment; else what is
     * wrong with it.
     */
    public static String problem(final String url)
    {
        if (url.getBytes(StandardCharsets.UTF_8).length > MAX_URL_BYTES)
        {
            return "longer than " + MAX_URL_BYTES + " bytes";
        }
        final URI uri;
        try
        {
            uri = toUri(url);
        }
        catch (final URISyntaxException ex)
        {
            return "not a URL (" + ex.getMessage() + ")";
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
        {
            return "only http and https web seeds are supported";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty())
        {
            return "no host";
        }
        if (uri.getRawUserInfo() != null)
        {
            return "user information in a URL is not supported";
        }
        if (uri.getRawFragment() != null)
        {
            return "a fragment (#) is not sent to a server";
        }
        return null;
    }

    /**
     * Parses a URL as torrents hold it: already percent-encoded as a rule, though some creators leave spaces or
     * non-ASCII letters raw; those (and only those) are percent-encoded as UTF-8 first. Control characters are refused.
     */
    public static URI toUri(final String url) throws URISyntaxException
    {
        final StringBuilder sb = new StringBuilder(url.length() + 16);
        final byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
        for (final byte b : bytes)
        {
            final int c = b & 0xff;
            if (c < 0x20 || c == 0x7f)
            {
                throw new URISyntaxException(printable(url), "control character in URL");
            }
            if (c == ' ' || c >= 0x80 || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
                c == '{' || c == '|' || c == '}')
            {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
            else
            {
                sb.append((char)c);
            }
        }
        return new URI(sb.toString());
    }

    /** The URL with control characters shown as escapes, cut to a readable length, for messages. */
    static String printable(final String url)
    {
        final StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < url.length() && sb.length() < 200; i++)
        {
            final char c = url.charAt(i);
            if (c < 0x20 || c == 0x7f)
            {
                sb.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return i < url.length() ? sb + "..." : sb.toString();
    }

    private static String kind(final BValue value)
    {
        if (value instanceof BValue.BDict)
        {
            return "a dictionary";
        }
        if (value instanceof BValue.BList)
        {
            return "a list";
        }
        return value instanceof BValue.BString ? "a string" : "an integer";
    }
}
