package io.spate.cli;

/**
 * Writes one JSON object on one line for {@code --json} output. Only what the commands print: strings, numbers,
 * booleans, null, and nested arrays and objects, in the order written. Not a parser; strings are escaped per RFC 8259.
 */
final class Json
{
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
