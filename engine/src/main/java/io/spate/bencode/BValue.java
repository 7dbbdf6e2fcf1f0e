package io.spate.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A decoded bencode value. Each value remembers the span [start, end) of the input it was decoded from, so a caller
 * can take the raw bytes of a sub-value (the info dictionary's hash is over its raw bytes, never a re-encoding).
 */
public sealed interface BValue permits BValue.BInteger, BValue.BString, BValue.BList, BValue.BDict
{
    /** @return offset of the first byte of this value in the decoded input (0 for values built in code). */
    int start();

    /** @return offset one past the last byte of this value in the decoded input (0 for values built in code). */
    int end();

    /** A bencode integer. */
    record BInteger(long value, int start, int end) implements BValue
    {
        public BInteger(final long value)
        {
            this(value, 0, 0);
        }
    }

    /** A bencode byte string; the bytes are not copied, callers must not modify them. */
    record BString(byte[] bytes, int start, int end) implements BValue
    {
        public BString(final byte[] bytes)
        {
            this(bytes, 0, 0);
        }

        public static BString of(final String utf8)
        {
            return new BString(utf8.getBytes(StandardCharsets.UTF_8));
        }

        /** @return the bytes as UTF-8 text (malformed sequences replaced). */
        public String utf8()
        {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A bencode list. */
    record BList(List<BValue> values, int start, int end) implements BValue
    {
        public BList(final List<BValue> values)
        {
            this(values, 0, 0);
        }

        public BList
        {
            values = Collections.unmodifiableList(values);
        }
    }

    /**
     * A bencode dictionary. Keys are raw byte strings held as ISO-8859-1 strings (one char per byte, so the natural
     * String order is the unsigned byte order bencode requires); iteration is in key order.
     */
    record BDict(Map<String, BValue> entries, int start, int end) implements BValue
    {
        public BDict(final Map<String, BValue> entries)
        {
            this(entries, 0, 0);
        }

        public BDict
        {
            entries = Collections.unmodifiableMap(entries);
        }

        public BValue get(final String key)
        {
            return entries.get(key);
        }
    }
}
