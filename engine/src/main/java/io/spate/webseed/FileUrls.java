package io.spate.webseed;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.UrlList;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where each file of a torrent lies on one web seed, as BEP 19 says: for a single file the URL is the file itself, or
 * a folder (ending in '/') that holds it under the torrent's name; for several files the URL is the folder holding the
 * torrent's top folder, so a file is at URL + "/" + name + "/" + path (a missing '/' is added, as libtorrent does).
 * Appended names are percent-encoded as UTF-8, every byte but RFC 3986's unreserved ones; the URL's own path is used
 * as the torrent gives it (already encoded, by convention), and a query stays at the end.
 */
final class FileUrls
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String base;
    private final String query;
    private final Metainfo metainfo;

    /** @param url an http(s) URL that {@link UrlList#problem} accepted. */
    FileUrls(final String url, final Metainfo metainfo)
    {
        final int q = url.indexOf('?');
        this.base = q < 0 ? url : url.substring(0, q);
        this.query = q < 0 ? "" : url.substring(q);
        this.metainfo = metainfo;
    }

    /** @return the URL of file {@code index} (the files of {@link Metainfo#files()}, in stream order). */
    URI file(final int index) throws URISyntaxException
    {
        final StringBuilder sb = new StringBuilder(base.length() + 64).append(base);
        if (metainfo.isSingleFile())
        {
            if (base.endsWith("/"))
            {
                encode(metainfo.name(), sb);
            }
        }
        else
        {
            if (!base.endsWith("/"))
            {
                sb.append('/');
            }
            encode(metainfo.name(), sb);
            final List<String> path = metainfo.files().get(index).path();
            for (final String element : path)
            {
                encode(element, sb.append('/'));
            }
        }
        return UrlList.toUri(sb.append(query).toString());
    }

    /** @return the file's entry: its length, whether it is padding. */
    FileEntry entry(final int index)
    {
        return metainfo.files().get(index);
    }

    /** Appends {@code element} percent-encoded: A-Z a-z 0-9 - . _ ~ as they are, every other UTF-8 byte as %XX. */
    static void encode(final String element, final StringBuilder sb)
    {
        for (final byte b : element.getBytes(StandardCharsets.UTF_8))
        {
            final int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' ||
                c == '_' || c == '~')
            {
                sb.append((char)c);
            }
            else
            {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
    }
}
