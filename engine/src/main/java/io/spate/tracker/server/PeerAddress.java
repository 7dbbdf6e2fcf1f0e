package io.spate.tracker.server;

/**
 * IP addresses packed as two longs: an IPv6 address as its 128 bits (high, low), an IPv4 address in its IPv4-mapped
 * form {@code ::ffff:a.b.c.d}. Static helpers only; nothing here allocates.
 */
public final class PeerAddress
{
    /** High 64 bits of every IPv4-mapped address. */
    public static final long V4_MAPPED_HI = 0L;
    /** Low 64 bits of an IPv4-mapped address, before the IPv4 address in its low 32 bits. */
    public static final long V4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    private PeerAddress()
    {
    }

    /** @return the high 64 bits of a 4- or 16-byte address. */
    public static long hi(final byte[] address)
    {
        return address.length == 4 ? V4_MAPPED_HI : readLong(address, 0);
    }

    /** @return the low 64 bits of a 4- or 16-byte address. */
    public static long lo(final byte[] address)
    {
        if (address.length == 4)
        {
            return V4_MAPPED_LO_PREFIX | ((address[0] & 0xFFL) << 24) | ((address[1] & 0xFFL) << 16) |
                ((address[2] & 0xFFL) << 8) | (address[3] & 0xFFL);
        }
        if (address.length != 16)
        {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
        }
        return readLong(address, 8);
    }

    /** @return whether the packed address is IPv4 (IPv4-mapped). */
    public static boolean isV4(final long hi, final long lo)
    {
        return hi == V4_MAPPED_HI && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LO_PREFIX;
    }

    /** Writes the 4-byte IPv4 address of a mapped address at {@code dst[offset]}. */
    public static void writeV4(final long lo, final byte[] dst, final int offset)
    {
        dst[offset] = (byte)(lo >>> 24);
        dst[offset + 1] = (byte)(lo >>> 16);
        dst[offset + 2] = (byte)(lo >>> 8);
        dst[offset + 3] = (byte)lo;
    }

    /** Writes the 16-byte address at {@code dst[offset]}. */
    public static void writeV6(final long hi, final long lo, final byte[] dst, final int offset)
    {
        writeLong(hi, dst, offset);
        writeLong(lo, dst, offset + 8);
    }

    /** @return the 4-byte (IPv4-mapped) or 16-byte form of a packed address; allocates, for tests and text forms. */
    public static byte[] toBytes(final long hi, final long lo)
    {
        if (isV4(hi, lo))
        {
            final byte[] out = new byte[4];
            writeV4(lo, out, 0);
            return out;
        }
        final byte[] out = new byte[16];
        writeV6(hi, lo, out, 0);
        return out;
    }

    private static long readLong(final byte[] src, final int offset)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (src[offset + i] & 0xFFL);
        }
        return v;
    }

    private static void writeLong(final long v, final byte[] dst, final int offset)
    {
        for (int i = 0; i < 8; i++)
        {
            dst[offset + i] = (byte)(v >>> (56 - 8 * i));
        }
    }
}
