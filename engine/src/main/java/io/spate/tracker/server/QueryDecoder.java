package io.spate.tracker.server;

/**
 * Percent-decoding of one query-string value into raw bytes (tracker parameters such as {@code info_hash} are binary,
 * which text-oriented decoders do not preserve). No allocation. {@code +} is kept as is: BitTorrent clients
 * percent-encode every byte outside the unreserved set, so a raw {@code +} is the byte {@code +}.
 */
final class QueryDecoder
{
    /** Returned by {@link #decode} for a malformed {@code %} escape. */
    static final int MALFORMED = -1;

    private QueryDecoder()
    {
    }

    /**
     * Decodes {@code src[start, end)} into {@code dst}.
     *
     * @return the decoded length; {@code dst.length + 1} if it does not fit; {@link #MALFORMED} for a bad escape.
     */
    static int decode(final CharSequence src, final int start, final int end, final byte[] dst)
    {
        int length = 0;
        int i = start;
        while (i < end)
        {
            final char c = src.charAt(i);
            final int b;
            if (c == '%')
            {
                if (i + 2 >= end)
                {
                    return MALFORMED;
                }
                final int hi = Character.digit(src.charAt(i + 1), 16);
                final int lo = Character.digit(src.charAt(i + 2), 16);
                if (hi < 0 || lo < 0)
                {
                    return MALFORMED;
                }
                b = (hi << 4) | lo;
                i += 3;
            }
            else
            {
                if (c > 0x7F)
                {
                    return MALFORMED;
                }
                b = c;
                i++;
            }
            if (length == dst.length)
            {
                return dst.length + 1;
            }
            dst[length++] = (byte)b;
        }
        return length;
    }

    /** @return the non-negative decimal value of {@code src[0, length)}, or -1 if it is not one that fits a long. */
    static long parseNonNegative(final byte[] src, final int length)
    {
        if (length <= 0 || length > 19)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int d = src[i] - '0';
            if (d < 0 || d > 9)
            {
                return -1;
            }
            if (value > (Long.MAX_VALUE - d) / 10)
            {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** @return whether {@code src[0, length)} equals the ASCII text {@code word}. */
    static boolean equalsAscii(final byte[] src, final int length, final String word)
    {
        if (length != word.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (src[i] != word.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
