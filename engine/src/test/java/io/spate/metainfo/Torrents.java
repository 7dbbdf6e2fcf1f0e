package io.spate.metainfo;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: builds .torrent bytes from plain Java values (String, byte[], Long/Integer, List, Map). */
final class Torrents
{
    private Torrents()
    {
    }

    static BValue value(final Object o)
    {
        if (o instanceof BValue v)
        {
            return v;
        }
        if (o instanceof String s)
        {
            return BValue.BString.of(s);
        }
        if (o instanceof byte[] b)
        {
            return new BValue.BString(b);
        }
        if (o instanceof Number n)
        {
            return new BValue.BInteger(n.longValue());
        }
        if (o instanceof List<?> l)
        {
            final List<BValue> values = new ArrayList<>();
            l.forEach(x -> values.add(value(x)));
            return new BValue.BList(values);
        }
        if (o instanceof Map<?, ?> m)
        {
            final Map<String, BValue> entries = new LinkedHashMap<>();
            m.forEach((k, v) -> entries.put((String)k, value(v)));
            return BencodeEncoder.dict(entries);
        }
        throw new IllegalArgumentException(String.valueOf(o));
    }

    static byte[] encode(final Object o)
    {
        return BencodeEncoder.encode(value(o));
    }

    static byte[] pieces(final int count)
    {
        final byte[] b = new byte[count * 20];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)i;
        }
        return b;
    }

    static Map<String, Object> file(final long length, final String... path)
    {
        return map("length", length, "path", List.of((Object[])path));
    }

    /** A map with keys and values alternating; keeps nulls out and insertion order. */
    static Map<String, Object> map(final Object... keysAndValues)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            m.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A valid multi-file torrent with nested folders and 0-byte files; 16 KiB pieces over 40,000 bytes. */
    static Map<String, Object> multiFile()
    {
        final Map<String, Object> info = map(
            "name", "album",
            "piece length", 16384,
            "files", new ArrayList<>(List.of(
                file(0, "empty-first"),
                file(20_000, "disc 1", "01.flac"),
                file(0, "disc 1", "nested", "deeper", "zero.txt"),
                file(15_000, "disc 2", "01.flac"),
                file(5_000, "readme.txt"))),
            "pieces", pieces(3));
        return map("announce", "http://127.0.0.1:6969/announce", "info", info);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> info(final Map<String, Object> torrent)
    {
        return (Map<String, Object>)torrent.get("info");
    }

    static String ascii(final byte[] b)
    {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
