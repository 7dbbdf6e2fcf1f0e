package io.spate.bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict BEP 3 decoder. Rejects what the specification does not allow (leading zeros, {@code -0}, unsorted or
 * duplicate dictionary keys, anything after the top-level value) and enforces {@link BencodeLimits} before any
 * allocation. Every failure is a {@link BencodeException} naming the offset.
 */
public final class BencodeDecoder
{
    private final BencodeLimits limits;
    private final boolean requireSortedKeys;
    private byte[] in;
    private int pos;
    private int end;
    private int elements;

    public BencodeDecoder(final BencodeLimits limits)
    {
        this(limits, true);
    }

    /**
     * @param requireSortedKeys false to accept dictionaries whose keys are out of order (duplicates are still
     *                          refused): for what other programs send us (tracker replies, extension handshakes),
     *                          where some real encoders do not sort. Torrents are always decoded strictly: their
     *                          info-hash depends on the exact bytes.
     */
    public BencodeDecoder(final BencodeLimits limits, final boolean requireSortedKeys)
    {
        this.limits = limits;
        this.requireSortedKeys = requireSortedKeys;
    }

    /** Decodes one whole document with the default limits, accepting unsorted dictionary keys. */
    public static BValue decodeLenient(final byte[] input)
    {
        return new BencodeDecoder(BencodeLimits.DEFAULT, false).decode(input, 0, input.length);
    }

    /** Decodes one whole document with the default limits. */
    public static BValue decode(final byte[] input)
    {
        return new BencodeDecoder(BencodeLimits.DEFAULT).decode(input, 0, input.length);
    }

    /**
     * Decodes exactly one value spanning {@code input[offset, offset + length)}; value spans are offsets into input.
     */
    public BValue decode(final byte[] input, final int offset, final int length)
    {
        return decode(input, offset, length, true);
    }

    /**
     * Decodes the one value that starts at {@code offset} and may be followed by other bytes (a BEP 9 data message
     * is a dictionary followed by raw metadata); the value's {@code end()} says where it stopped.
     */
    public BValue decodePrefix(final byte[] input, final int offset, final int length)
    {
        return decode(input, offset, length, false);
    }

    private BValue decode(final byte[] input, final int offset, final int length, final boolean whole)
    {
        if (length > limits.maxInputLength())
        {
            throw new BencodeException(0, "input of " + length + " bytes exceeds the limit of " +
                limits.maxInputLength());
        }
        this.in = input;
        this.pos = offset;
        this.end = offset + length;
        this.elements = 0;
        try
        {
            final BValue value = readValue(0);
            if (whole && pos != end)
            {
                throw error(pos, "trailing data after the top-level value (" + (end - pos) + " bytes)");
            }
            return value;
        }
        finally
        {
            this.in = null;
        }
    }

    private BValue readValue(final int depth)
    {
        if (++elements > limits.maxElements())
        {
            throw error(pos, "more than " + limits.maxElements() + " values");
        }
        final int start = pos;
        final int b = peek("a value");
        switch (b)
        {
            case 'i':
                return readInteger(start);
            case 'l':
                return readList(start, depth + 1);
            case 'd':
                return readDict(start, depth + 1);
            default:
                if (b >= '0' && b <= '9')
                {
                    return readString();
                }
                throw error(pos, "expected 'i', 'l', 'd' or a digit, found " + describe(b));
        }
    }

    private BValue.BInteger readInteger(final int start)
    {
        pos++; // 'i'
        boolean negative = false;
        if (peek("an integer") == '-')
        {
            negative = true;
            pos++;
        }
        final int digitsStart = pos;
        long value = 0;
        while (true)
        {
            final int b = peek("'e' ending the integer");
            if (b == 'e')
            {
                break;
            }
            if (b < '0' || b > '9')
            {
                throw error(pos, "expected a digit or 'e' in integer, found " + describe(b));
            }
            final int digit = b - '0';
            // accumulate negatively so Long.MIN_VALUE is representable
            if (value < (Long.MIN_VALUE + digit) / 10)
            {
                throw error(digitsStart, "integer does not fit in 64 bits");
            }
            value = value * 10 - digit;
            pos++;
        }
        final int digits = pos - digitsStart;
        if (digits == 0)
        {
            throw error(digitsStart, "integer has no digits");
        }
        if (in[digitsStart] == '0' && (digits > 1 || negative))
        {
            throw error(digitsStart, negative ? "negative zero in integer" : "leading zero in integer");
        }
        if (!negative)
        {
            if (value == Long.MIN_VALUE)
            {
                throw error(digitsStart, "integer does not fit in 64 bits");
            }
            value = -value;
        }
        pos++; // 'e'
        return new BValue.BInteger(value, start, pos);
    }

    private BValue.BString readString()
    {
        final int start = pos;
        final int length = readLength();
        final byte[] bytes = new byte[length];
        System.arraycopy(in, pos, bytes, 0, length);
        pos += length;
        return new BValue.BString(bytes, start, pos);
    }

    /** Reads "digits:" and checks the length against the limits and the bytes actually left, before allocating. */
    private int readLength()
    {
        final int start = pos;
        long length = 0;
        while (true)
        {
            final int b = peek("':' after a string length");
            if (b == ':')
            {
                break;
            }
            if (b < '0' || b > '9')
            {
                throw error(pos, "expected a digit or ':' in string length, found " + describe(b));
            }
            length = length * 10 + (b - '0');
            if (length > Integer.MAX_VALUE)
            {
                throw error(start, "string length does not fit in 31 bits");
            }
            pos++;
        }
        if (pos == start)
        {
            throw error(start, "string length has no digits");
        }
        if (in[start] == '0' && pos - start > 1)
        {
            throw error(start, "leading zero in string length");
        }
        pos++; // ':'
        if (length > limits.maxStringLength())
        {
            throw error(start, "string length " + length + " exceeds the limit of " + limits.maxStringLength());
        }
        if (length > end - pos)
        {
            throw error(start, "string length " + length + " runs past the end of the input (" + (end - pos) +
                " bytes left)");
        }
        return (int)length;
    }

    private BValue.BList readList(final int start, final int depth)
    {
        checkDepth(depth);
        pos++; // 'l'
        final List<BValue> values = new ArrayList<>();
        while (peek("a list element or 'e'") != 'e')
        {
            values.add(readValue(depth));
        }
        pos++;
        return new BValue.BList(values, start, pos);
    }

    private BValue.BDict readDict(final int start, final int depth)
    {
        checkDepth(depth);
        pos++; // 'd'
        final Map<String, BValue> entries = new LinkedHashMap<>();
        String previous = null;
        while (true)
        {
            final int b = peek("a dictionary key or 'e'");
            if (b == 'e')
            {
                break;
            }
            if (b < '0' || b > '9')
            {
                throw error(pos, "dictionary key must be a string, found " + describe(b));
            }
            final int keyOffset = pos;
            final int length = readLength();
            final String key = new String(in, pos, length, StandardCharsets.ISO_8859_1);
            pos += length;
            if (previous != null)
            {
                final int order = key.compareTo(previous);
                if (order == 0 || !requireSortedKeys && entries.containsKey(key))
                {
                    throw error(keyOffset, "duplicate dictionary key '" + printable(key) + "'");
                }
                if (order < 0 && requireSortedKeys)
                {
                    throw error(keyOffset, "dictionary keys out of order: '" + printable(key) + "' after '" +
                        printable(previous) + "'");
                }
            }
            entries.put(key, readValue(depth));
            previous = key;
        }
        pos++;
        return new BValue.BDict(entries, start, pos);
    }

    private void checkDepth(final int depth)
    {
        if (depth > limits.maxDepth())
        {
            throw error(pos, "nesting deeper than " + limits.maxDepth() + " levels");
        }
    }

    private int peek(final String expected)
    {
        if (pos >= end)
        {
            throw error(pos, "unexpected end of input, expected " + expected);
        }
        return in[pos] & 0xFF;
    }

    private BencodeException error(final int at, final String reason)
    {
        return new BencodeException(at, reason);
    }

    private static String describe(final int b)
    {
        return b >= 0x20 && b < 0x7F ? "'" + (char)b + "'" : String.format("byte 0x%02x", b);
    }

    static String printable(final String key)
    {
        final StringBuilder sb = new StringBuilder(Math.min(key.length(), 64));
        for (int i = 0; i < key.length() && i < 64; i++)
        {
            final char c = key.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return key.length() > 64 ? sb + "..." : sb.toString();
    }
}
