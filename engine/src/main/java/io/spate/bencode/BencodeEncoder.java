package io.spate.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Canonical encoder: for every input the strict decoder accepts, {@code encode(decode(x))} is byte-identical to x.
 * Control-path use (torrent files, tests); hot paths write directly with {@link BencodeWriter}.
 */
public final class BencodeEncoder
{
    private BencodeEncoder()
    {
    }

    public static byte[] encode(final BValue value)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(final BValue value, final ByteArrayOutputStream out)
    {
        if (value instanceof BValue.BInteger i)
        {
            out.write('i');
            writeAscii(Long.toString(i.value()), out);
            out.write('e');
        }
        else if (value instanceof BValue.BString s)
        {
            writeAscii(Integer.toString(s.bytes().length), out);
            out.write(':');
            out.writeBytes(s.bytes());
        }
        else if (value instanceof BValue.BList l)
        {
            out.write('l');
            for (final BValue v : l.values())
            {
                write(v, out);
            }
            out.write('e');
        }
        else if (value instanceof BValue.BDict d)
        {
            out.write('d');
            final Object[] keys = d.entries().keySet().toArray();
            java.util.Arrays.sort(keys); // ISO-8859-1 strings: char order is unsigned byte order
            for (final Object k : keys)
            {
                final String key = (String)k;
                final byte[] raw = key.getBytes(StandardCharsets.ISO_8859_1);
                writeAscii(Integer.toString(raw.length), out);
                out.write(':');
                out.writeBytes(raw);
                write(d.entries().get(key), out);
            }
            out.write('e');
        }
    }

    private static void writeAscii(final String s, final ByteArrayOutputStream out)
    {
        for (int i = 0; i < s.length(); i++)
        {
            out.write(s.charAt(i));
        }
    }

    /** Convenience for building dictionaries in code: keys given as text are stored as their UTF-8 bytes. */
    public static String key(final String utf8)
    {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** @return a dictionary value from text keys; order does not matter, the encoder sorts. */
    public static BValue.BDict dict(final Map<String, BValue> entries)
    {
        final java.util.TreeMap<String, BValue> sorted = new java.util.TreeMap<>();
        entries.forEach((k, v) -> sorted.put(key(k), v));
        return new BValue.BDict(sorted);
    }
}
