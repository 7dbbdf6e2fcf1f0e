package io.spate.cli;

/**
 * Writes one JSON object on one line for {@code --json} output. Only what the commands print: strings, numbers,
 * booleans, null, and nested arrays and objects, in the order written. Not a parser; strings are escaped per RFC 8259.
 */
final class Json
{
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private final StringBuilder out = new StringBuilder(256);
    private boolean needComma;

    Json beginObject()
    {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject()
    {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray()
    {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray()
    {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes a key; the next call writes its value. */
    Json key(final String name)
    {
        comma();
        string(out, name);
        out.append(':');
        needComma = false;
        return this;
    }

    Json value(final String text)
    {
        comma();
        if (text == null)
        {
            out.append("null");
        }
        else
        {
            string(out, text);
        }
        needComma = true;
        return this;
    }

    Json value(final long number)
    {
        comma();
        out.append(number);
        needComma = true;
        return this;
    }

    /**
     * A number with a fixed count of decimals (0-6), as {@code %.Nf} would print it; NaN and the infinities as null.
     * Written here rather than with {@link String#format}: a JVM's first float format loads ~150 classes (Formatter,
     * locale data) and took ~0.1 s in a fresh JVM, which a leecher paid on its "started" and "complete" events.
     */
    Json value(final double number, final int decimals)
    {
        comma();
        needComma = true;
        if (!Double.isFinite(number))
        {
            out.append("null");
            return this;
        }
        final long scale = POW10[decimals];
        final double magnitude = Math.abs(number);
        if (magnitude * scale >= Long.MAX_VALUE / 2.0)
        {
            out.append(number); // beyond fixed-point range: a plain JSON number with an exponent
            return this;
        }
        final long scaled = Math.round(magnitude * scale);
        if (number < 0 && scaled != 0)
        {
            out.append('-');
        }
        out.append(scaled / scale);
        if (decimals > 0)
        {
            out.append('.');
            final String fraction = Long.toString(scaled % scale);
            for (int i = fraction.length(); i < decimals; i++)
            {
                out.append('0');
            }
            out.append(fraction);
        }
        return this;
    }

    Json value(final boolean flag)
    {
        comma();
        out.append(flag);
        needComma = true;
        return this;
    }

    Json field(final String name, final String text)
    {
        return key(name).value(text);
    }

    Json field(final String name, final long number)
    {
        return key(name).value(number);
    }

    Json field(final String name, final double number, final int decimals)
    {
        return key(name).value(number, decimals);
    }

    Json field(final String name, final boolean flag)
    {
        return key(name).value(flag);
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    private void comma()
    {
        if (needComma)
        {
            out.append(',');
        }
    }

    /** @return {@code s} as a quoted, escaped JSON string. */
    static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2);
        string(sb, s);
        return sb.toString();
    }

    private static void string(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) && !validSurrogate(s, i))
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean validSurrogate(final String s, final int i)
    {
        final char c = s.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
