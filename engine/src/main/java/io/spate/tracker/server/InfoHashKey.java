package io.spate.tracker.server;

import java.util.Arrays;

/**
 * A 20-byte info-hash as a hash-map key. One mutable instance serves as a lookup probe ({@link #wrap}) so a lookup
 * allocates nothing; keys stored in maps are immutable copies ({@link #copy}).
 */
final class InfoHashKey
{
    static final int LENGTH = 20;

    private byte[] bytes;
    private int offset;
    private int hash;

    private InfoHashKey(final byte[] bytes, final int offset)
    {
        wrap(bytes, offset);
    }

    static InfoHashKey probe()
    {
        return new InfoHashKey(new byte[LENGTH], 0);
    }

    static InfoHashKey copyOf(final byte[] src, final int offset)
    {
        return new InfoHashKey(Arrays.copyOfRange(src, offset, offset + LENGTH), 0);
    }

    /** Points this key at {@code src[offset, offset + 20)} without copying; for probes only. */
    InfoHashKey wrap(final byte[] src, final int offset)
    {
        this.bytes = src;
        this.offset = offset;
        int h = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            h = 31 * h + src[offset + i];
        }
        this.hash = h ^ (h >>> 16);
        return this;
    }

    InfoHashKey copy()
    {
        return copyOf(bytes, offset);
    }

    void copyTo(final byte[] dst, final int dstOffset)
    {
        System.arraycopy(bytes, offset, dst, dstOffset, LENGTH);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof InfoHashKey other) || other.hash != hash)
        {
            return false;
        }
        return Arrays.equals(bytes, offset, offset + LENGTH, other.bytes, other.offset, other.offset + LENGTH);
    }
}
