package io.spate.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The BEP 3 handshake flyweight: {@code <19><"BitTorrent protocol"><reserved[8]><info_hash[20]><peer_id[20]>},
 * 68 bytes. Reserved bits used: BEP 10 extension protocol {@code reserved[5] & 0x10}, BEP 6 fast extension
 * {@code reserved[7] & 0x04}, BEP 5 DHT {@code reserved[7] & 0x01}. No readers throw on short buffers: callers
 * check {@link #validate(DirectBuffer, int, int)} first.
 */
public final class Handshake
{
    public static final int LENGTH = 68;
    public static final int PSTRLEN = 19;
    public static final int PSTRLEN_OFFSET = 0;
    public static final int PSTR_OFFSET = 1;
    public static final int RESERVED_OFFSET = 20;
    public static final int INFO_HASH_OFFSET = 28;
    public static final int PEER_ID_OFFSET = 48;
    public static final int HASH_LENGTH = 20;

    /** reserved[5] & 0x10: BEP 10 extension protocol. */
    public static final int EXTENDED_BYTE = 5;
    public static final int EXTENDED_MASK = 0x10;
    /** reserved[7] & 0x04: BEP 6 fast extension. */
    public static final int FAST_BYTE = 7;
    public static final int FAST_MASK = 0x04;
    /** reserved[7] & 0x01: BEP 5 DHT. */
    public static final int DHT_BYTE = 7;
    public static final int DHT_MASK = 0x01;

    private static final byte[] PSTR = {
        'B', 'i', 't', 'T', 'o', 'r', 'r', 'e', 'n', 't', ' ', 'p', 'r', 'o', 't', 'o', 'c', 'o', 'l' };

    private Handshake()
    {
    }

    /**
     * Writes a handshake with the given reserved bits set and all other reserved bits zero.
     *
     * @return {@link #LENGTH}.
     * @throws IllegalArgumentException if infoHash or peerId is not 20 bytes (a programming error, not peer input).
     */
    public static int encode(
        final MutableDirectBuffer buf,
        final int offset,
        final byte[] infoHash,
        final byte[] peerId,
        final boolean fast,
        final boolean extended)
    {
        return encode(buf, offset, infoHash, peerId, fast, extended, false);
    }

    /** As {@link #encode(MutableDirectBuffer, int, byte[], byte[], boolean, boolean)}, also setting the DHT bit. */
    public static int encode(
        final MutableDirectBuffer buf,
        final int offset,
        final byte[] infoHash,
        final byte[] peerId,
        final boolean fast,
        final boolean extended,
        final boolean dht)
    {
        if (infoHash.length != HASH_LENGTH || peerId.length != HASH_LENGTH)
        {
            throw new IllegalArgumentException("info-hash and peer id must be 20 bytes, got " + infoHash.length +
                " and " + peerId.length);
        }
        buf.putByte(offset + PSTRLEN_OFFSET, (byte)PSTRLEN);
        buf.putBytes(offset + PSTR_OFFSET, PSTR);
        buf.setMemory(offset + RESERVED_OFFSET, 8, (byte)0);
        if (extended)
        {
            orByte(buf, offset + RESERVED_OFFSET + EXTENDED_BYTE, EXTENDED_MASK);
        }
        if (fast)
        {
            orByte(buf, offset + RESERVED_OFFSET + FAST_BYTE, FAST_MASK);
        }
        if (dht)
        {
            orByte(buf, offset + RESERVED_OFFSET + DHT_BYTE, DHT_MASK);
        }
        buf.putBytes(offset + INFO_HASH_OFFSET, infoHash);
        buf.putBytes(offset + PEER_ID_OFFSET, peerId);
        return LENGTH;
    }

    /**
     * Checks pstrlen and pstr, with the bytes available taken from the buffer's capacity.
     *
     * @return {@link HandshakeError#NONE} when well formed.
     */
    public static HandshakeError validate(final DirectBuffer buf, final int offset)
    {
        return validate(buf, offset, buf.capacity() - offset);
    }

    /**
     * Checks pstrlen and pstr of a handshake at {@code buf[offset, offset + available)}.
     *
     * @return {@link HandshakeError#NONE} when well formed, {@link HandshakeError#INCOMPLETE} when fewer than 68
     * bytes are available (a bad first byte is reported as soon as it is present).
     */
    public static HandshakeError validate(final DirectBuffer buf, final int offset, final int available)
    {
        if (offset < 0 || available < 1 || offset > buf.capacity() - Math.min(available, LENGTH))
        {
            return HandshakeError.INCOMPLETE;
        }
        if (buf.getByte(offset + PSTRLEN_OFFSET) != PSTRLEN)
        {
            return HandshakeError.BAD_PROTOCOL_LENGTH;
        }
        final int present = Math.min(available - PSTR_OFFSET, PSTRLEN);
        for (int i = 0; i < present; i++)
        {
            if (buf.getByte(offset + PSTR_OFFSET + i) != PSTR[i])
            {
                return HandshakeError.BAD_PROTOCOL_STRING;
            }
        }
        return available < LENGTH ? HandshakeError.INCOMPLETE : HandshakeError.NONE;
    }

    /**
     * Full check of a received handshake: {@link #validate(DirectBuffer, int, int)} then the info-hash.
     */
    public static HandshakeError validate(
        final DirectBuffer buf, final int offset, final int available, final byte[] expectedInfoHash)
    {
        final HandshakeError error = validate(buf, offset, available);
        if (error != HandshakeError.NONE)
        {
            return error;
        }
        return infoHashEquals(buf, offset, expectedInfoHash) ? HandshakeError.NONE : HandshakeError.INFO_HASH_MISMATCH;
    }

    public static boolean infoHashEquals(final DirectBuffer buf, final int offset, final byte[] infoHash)
    {
        if (infoHash.length != HASH_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < HASH_LENGTH; i++)
        {
            if (buf.getByte(offset + INFO_HASH_OFFSET + i) != infoHash[i])
            {
                return false;
            }
        }
        return true;
    }

    public static void peerId(final DirectBuffer buf, final int offset, final byte[] dst20)
    {
        buf.getBytes(offset + PEER_ID_OFFSET, dst20, 0, HASH_LENGTH);
    }

    public static void infoHash(final DirectBuffer buf, final int offset, final byte[] dst20)
    {
        buf.getBytes(offset + INFO_HASH_OFFSET, dst20, 0, HASH_LENGTH);
    }

    public static boolean supportsFast(final DirectBuffer buf, final int offset)
    {
        return (buf.getByte(offset + RESERVED_OFFSET + FAST_BYTE) & FAST_MASK) != 0;
    }

    public static boolean supportsExtended(final DirectBuffer buf, final int offset)
    {
        return (buf.getByte(offset + RESERVED_OFFSET + EXTENDED_BYTE) & EXTENDED_MASK) != 0;
    }

    public static boolean supportsDht(final DirectBuffer buf, final int offset)
    {
        return (buf.getByte(offset + RESERVED_OFFSET + DHT_BYTE) & DHT_MASK) != 0;
    }

    private static void orByte(final MutableDirectBuffer buf, final int index, final int mask)
    {
        buf.putByte(index, (byte)(buf.getByte(index) | mask));
    }
}
