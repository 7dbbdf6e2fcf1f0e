package io.spate.picker;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Fixed-size bit set of pieces in the wire BITFIELD order: piece 0 is the high bit of byte 0. Words are stored so
 * that a big-endian read of 8 wire bytes is one word (piece {@code i} is bit {@code 63 - (i & 63)} of word
 * {@code i >>> 6}), which makes {@link #readWire} and {@link #writeWire} a copy. Spare bits past {@link #size()} are
 * always zero. Not thread-safe; owned by one agent.
 */
public final class Bitfield
{
    private final int bits;
    private final long[] words;
    private final long lastWordMask;
    private int cardinality;

    public Bitfield(final int bits)
    {
        if (bits < 0)
        {
            throw new IllegalArgumentException("bitfield size must not be negative: " + bits);
        }
        this.bits = bits;
        this.words = new long[(bits + 63) >>> 6];
        final int tail = bits & 63;
        this.lastWordMask = tail == 0 ? -1L : -1L << (64 - tail);
    }

    public int size()
    {
        return bits;
    }

    public boolean get(final int i)
    {
        checkIndex(i);
        return (words[i >>> 6] & (Long.MIN_VALUE >>> i)) != 0;
    }

    public void set(final int i)
    {
        checkIndex(i);
        final int w = i >>> 6;
        final long mask = Long.MIN_VALUE >>> i;
        if ((words[w] & mask) == 0)
        {
            words[w] |= mask;
            cardinality++;
        }
    }

    public void clear(final int i)
    {
        checkIndex(i);
        final int w = i >>> 6;
        final long mask = Long.MIN_VALUE >>> i;
        if ((words[w] & mask) != 0)
        {
            words[w] &= ~mask;
            cardinality--;
        }
    }

    /** Number of set bits, O(1). */
    public int cardinality()
    {
        return cardinality;
    }

    public boolean isComplete()
    {
        return cardinality == bits;
    }

    public boolean isEmpty()
    {
        return cardinality == 0;
    }

    public void setAll()
    {
        if (words.length == 0)
        {
            return;
        }
        java.util.Arrays.fill(words, -1L);
        words[words.length - 1] = lastWordMask;
        cardinality = bits;
    }

    public void clearAll()
    {
        java.util.Arrays.fill(words, 0L);
        cardinality = 0;
    }

    /** Copies {@code other}, which must have the same size. */
    public void copyFrom(final Bitfield other)
    {
        checkSameSize(other);
        System.arraycopy(other.words, 0, words, 0, words.length);
        cardinality = other.cardinality;
    }

    /** Index of the first set bit at or after {@code from}, or -1. */
    public int nextSetBit(final int from)
    {
        if (from >= bits)
        {
            return -1;
        }
        int w = from >>> 6;
        long word = words[w] & (-1L >>> from);
        while (true)
        {
            if (word != 0)
            {
                return (w << 6) + Long.numberOfLeadingZeros(word);
            }
            if (++w == words.length)
            {
                return -1;
            }
            word = words[w];
        }
    }

    /** Whether this has any bit that {@code mask} lacks, i.e. {@code this & ~mask} is not empty. */
    public boolean hasAnyNotIn(final Bitfield mask)
    {
        checkSameSize(mask);
        for (int w = 0; w < words.length; w++)
        {
            if ((words[w] & ~mask.words[w]) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** Whether any bit is set here and clear in both masks (a peer's piece we neither have nor skip). */
    public boolean hasAnyNotIn(final Bitfield mask, final Bitfield other)
    {
        checkSameSize(mask);
        checkSameSize(other);
        for (int w = 0; w < words.length; w++)
        {
            if ((words[w] & ~mask.words[w] & ~other.words[w]) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** Wire length in bytes, {@code (bits + 7) / 8}. */
    public int byteLength()
    {
        return (bits + 7) >>> 3;
    }

    /**
     * Replaces the contents with a wire BITFIELD payload. The caller has validated that {@code byteLength} equals
     * {@link #byteLength()} and that the spare bits are zero (spare bits are dropped here regardless).
     */
    public void readWire(final DirectBuffer buf, final int offset, final int byteLength)
    {
        if (byteLength != byteLength())
        {
            throw new IllegalArgumentException("bitfield of " + byteLength + " bytes, expected " + byteLength());
        }
        final int fullWords = byteLength >>> 3;
        int count = 0;
        for (int w = 0; w < fullWords; w++)
        {
            final long word = buf.getLong(offset + (w << 3), ByteOrder.BIG_ENDIAN);
            words[w] = word;
            count += Long.bitCount(word);
        }
        if (fullWords < words.length)
        {
            long word = 0;
            final int base = fullWords << 3;
            for (int b = base; b < byteLength; b++)
            {
                word |= (buf.getByte(offset + b) & 0xFFL) << (56 - ((b - base) << 3));
            }
            word &= lastWordMask;
            words[fullWords] = word;
            count += Long.bitCount(word);
        }
        else if (words.length > 0)
        {
            final long masked = words[words.length - 1] & lastWordMask;
            count -= Long.bitCount(words[words.length - 1]) - Long.bitCount(masked);
            words[words.length - 1] = masked;
        }
        cardinality = count;
    }

    /** Writes the wire BITFIELD payload at {@code offset}; returns its length, {@link #byteLength()}. */
    public int writeWire(final MutableDirectBuffer buf, final int offset)
    {
        final int byteLength = byteLength();
        final int fullWords = byteLength >>> 3;
        for (int w = 0; w < fullWords; w++)
        {
            buf.putLong(offset + (w << 3), words[w], ByteOrder.BIG_ENDIAN);
        }
        if (fullWords < words.length)
        {
            final long word = words[fullWords];
            final int base = fullWords << 3;
            for (int b = base; b < byteLength; b++)
            {
                buf.putByte(offset + b, (byte)(word >>> (56 - ((b - base) << 3))));
            }
        }
        return byteLength;
    }

    /** Word {@code w} in wire order (piece {@code 64w} is the top bit); for scans in this package. */
    long word(final int w)
    {
        return words[w];
    }

    int wordCount()
    {
        return words.length;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Bitfield other && other.bits == bits && java.util.Arrays.equals(other.words, words);
    }

    @Override
    public int hashCode()
    {
        return 31 * bits + java.util.Arrays.hashCode(words);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(bits + 2).append('[');
        for (int i = 0; i < bits; i++)
        {
            sb.append(get(i) ? '1' : '0');
        }
        return sb.append(']').toString();
    }

    private void checkIndex(final int i)
    {
        if (i < 0 || i >= bits)
        {
            throw new IndexOutOfBoundsException("piece " + i + " outside 0.." + (bits - 1));
        }
    }

    private void checkSameSize(final Bitfield other)
    {
        if (other.bits != bits)
        {
            throw new IllegalArgumentException("bitfield sizes differ: " + other.bits + " vs " + bits);
        }
    }
}
