package io.spate.bencode;

import org.agrona.ExpandableArrayBuffer;

/**
 * Streaming bencode writer into a reusable buffer, for replies built on a hot path (tracker announces). The caller
 * is responsible for writing dictionary keys in sorted order. Reuse with {@link #reset()}; no allocation once the
 * buffer has grown to its working size.
 */
public final class BencodeWriter
{
    private final ExpandableArrayBuffer buffer;
    private int position;

    public BencodeWriter(final int initialCapacity)
    {
        this.buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    public BencodeWriter reset()
    {
        position = 0;
        return this;
    }

    public BencodeWriter startDict()
    {
        buffer.putByte(position++, (byte)'d');
        return this;
    }

    public BencodeWriter startList()
    {
        buffer.putByte(position++, (byte)'l');
        return this;
    }

    public BencodeWriter end()
    {
        buffer.putByte(position++, (byte)'e');
        return this;
    }

    public BencodeWriter integer(final long value)
    {
        buffer.putByte(position++, (byte)'i');
        position += buffer.putLongAscii(position, value);
        buffer.putByte(position++, (byte)'e');
        return this;
    }

    /** Writes an ASCII string (a dictionary key or text value). */
    public BencodeWriter string(final String ascii)
    {
        position += buffer.putIntAscii(position, ascii.length());
        buffer.putByte(position++, (byte)':');
        position += buffer.putStringWithoutLengthAscii(position, ascii);
        return this;
    }

    public BencodeWriter bytes(final byte[] src, final int offset, final int length)
    {
        position += buffer.putIntAscii(position, length);
        buffer.putByte(position++, (byte)':');
        buffer.putBytes(position, src, offset, length);
        position += length;
        return this;
    }

    /** Writes the length prefix of a string whose {@code length} bytes the caller then appends with {@link #raw}. */
    public BencodeWriter stringHeader(final int length)
    {
        position += buffer.putIntAscii(position, length);
        buffer.putByte(position++, (byte)':');
        return this;
    }

    public BencodeWriter raw(final byte[] src, final int offset, final int length)
    {
        buffer.putBytes(position, src, offset, length);
        position += length;
        return this;
    }

    public int length()
    {
        return position;
    }

    /** @return the backing array; valid bytes are [0, {@link #length()}). */
    public byte[] array()
    {
        return buffer.byteArray();
    }

    public byte[] toByteArray()
    {
        final byte[] out = new byte[position];
        buffer.getBytes(0, out);
        return out;
    }
}
