package io.spate.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 160-bit DHT key: a node id or an info-hash (BEP 5 puts both in one space). Immutable; distance is XOR read as an
 * unsigned big-endian integer.
 */
public final class NodeId
{
    /** Length of an id in bytes. */
    public static final int LENGTH = 20;
    /** Length of an id in bits. */
    public static final int BITS = LENGTH * 8;

    private final byte[] bytes;
    private final int hash;

    private NodeId(final byte[] bytes)
    {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** @return the id of these 20 bytes (copied). */
    public static NodeId of(final byte[] bytes)
    {
        if (bytes.length != LENGTH)
        {
            throw new IllegalArgumentException("a node id is 20 bytes, not " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /** @return the id at {@code src[offset, offset + 20)} (copied). */
    public static NodeId of(final byte[] src, final int offset)
    {
        return new NodeId(Arrays.copyOfRange(src, offset, offset + LENGTH));
    }

    public static NodeId fromHex(final String hex)
    {
        return of(HexFormat.of().parseHex(hex));
    }

    public static NodeId random(final Random random)
    {
        final byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /**
     * @return a random id that shares exactly the first {@code prefixBits} bits with this one and differs at the next
     * (a bucket refresh target); {@code prefixBits == 160} gives this id.
     */
    public NodeId randomWithPrefix(final int prefixBits, final Random random)
    {
        final byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int bit = 0; bit < Math.min(prefixBits + 1, BITS); bit++)
        {
            final boolean mine = bit(bit);
            final boolean set = bit == prefixBits ? !mine : mine;
            final int mask = 0x80 >>> (bit & 7);
            b[bit >>> 3] = (byte)(set ? b[bit >>> 3] | mask : b[bit >>> 3] & ~mask);
        }
        return new NodeId(b);
    }

    /** @return a copy of the 20 bytes. */
    public byte[] toBytes()
    {
        return bytes.clone();
    }

    /** Copies the 20 bytes into {@code dst} at {@code offset}. */
    public void copyTo(final byte[] dst, final int offset)
    {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    /** @return bit {@code index} (0 is the most significant bit of the first byte). */
    public boolean bit(final int index)
    {
        return (bytes[index >>> 3] & (0x80 >>> (index & 7))) != 0;
    }

    /** @return how many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefixBits(final NodeId other)
    {
        for (int i = 0; i < LENGTH; i++)
        {
            final int x = (bytes[i] ^ other.bytes[i]) & 0xFF;
            if (x != 0)
            {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** @return negative, zero or positive as {@code a} is closer to, as close to, or farther from this id than b. */
    public int compareDistance(final NodeId a, final NodeId b)
    {
        for (int i = 0; i < LENGTH; i++)
        {
            final int da = (a.bytes[i] ^ bytes[i]) & 0xFF;
            final int db = (b.bytes[i] ^ bytes[i]) & 0xFF;
            if (da != db)
            {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof NodeId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        return HexFormat.of().formatHex(bytes);
    }
}
