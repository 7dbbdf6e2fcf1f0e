package io.spate.wire;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeException;
import io.spate.bencode.BencodeLimits;
import io.spate.bencode.BencodeWriter;

/**
 * A BEP 9 {@code ut_metadata} message (an extended message): a bencoded dictionary with {@code msg_type} (0 request,
 * 1 data, 2 reject), {@code piece} and, for data, {@code total_size}; a data message's metadata bytes follow the
 * dictionary inside the same frame. Control path (a handful per connection): decoding allocates.
 *
 * @param type       {@link #REQUEST}, {@link #DATA}, {@link #REJECT}, or another value to be ignored (BEP 9).
 * @param piece      the metadata piece, 0-based.
 * @param totalSize  {@code total_size} of a data message, or -1 when absent.
 * @param dataOffset offset in the decoded array where a data message's bytes start (the dictionary's end).
 * @param dataLength how many bytes follow the dictionary.
 */
public record MetadataMessage(int type, int piece, long totalSize, int dataOffset, int dataLength)
{
    public static final int REQUEST = 0;
    public static final int DATA = 1;
    public static final int REJECT = 2;
    /** Metadata travels in pieces of 16 KiB, the last one shorter. */
    public static final int PIECE_LENGTH = 16 * 1024;
    /** The extended id Spate receives ut_metadata messages on (it says so in its extension handshake). */
    public static final int OUR_EXTENDED_ID = 3;
    /** Largest info dictionary Spate gives or takes, as for a whole .torrent file (metainfo.Metainfo). */
    public static final long MAX_METADATA_SIZE = 64L << 20;
    /** Largest ut_metadata payload: one piece and its dictionary. */
    public static final int MAX_MESSAGE_LENGTH = PIECE_LENGTH + 256;

    private static final BencodeLimits LIMITS = new BencodeLimits(4, 64, MAX_MESSAGE_LENGTH, 64);

    /** @return how many metadata pieces {@code size} bytes make. */
    public static int pieceCount(final long size)
    {
        return (int)((size + PIECE_LENGTH - 1) / PIECE_LENGTH);
    }

    /**
     * Decodes a ut_metadata payload (the bytes after the extended id).
     *
     * @return the message, or null when it is not a dictionary with integer {@code msg_type} and {@code piece} in
     * range, or is longer than {@link #MAX_MESSAGE_LENGTH} (never throws).
     */
    public static MetadataMessage decode(final byte[] payload, final int offset, final int length)
    {
        if (length < 0 || length > MAX_MESSAGE_LENGTH || offset < 0 || offset > payload.length - length)
        {
            return null;
        }
        final BValue root;
        try
        {
            root = new BencodeDecoder(LIMITS, false).decodePrefix(payload, offset, length);
        }
        catch (final BencodeException ex)
        {
            return null;
        }
        if (!(root instanceof BValue.BDict dict) ||
            !(dict.get("msg_type") instanceof BValue.BInteger type) ||
            !(dict.get("piece") instanceof BValue.BInteger piece) ||
            type.value() < 0 || type.value() > Integer.MAX_VALUE ||
            piece.value() < 0 || piece.value() >= pieceCount(MAX_METADATA_SIZE))
        {
            return null;
        }
        final long totalSize = dict.get("total_size") instanceof BValue.BInteger t && t.value() > 0 ? t.value() : -1;
        return new MetadataMessage((int)type.value(), (int)piece.value(), totalSize, root.end(),
            offset + length - root.end());
    }

    /** @return the dictionary of a request for {@code piece}. */
    public static byte[] request(final int piece)
    {
        return new BencodeWriter(32).startDict()
            .string("msg_type").integer(REQUEST)
            .string("piece").integer(piece)
            .end().toByteArray();
    }

    /** @return the dictionary of a reject of {@code piece}. */
    public static byte[] reject(final int piece)
    {
        return new BencodeWriter(32).startDict()
            .string("msg_type").integer(REJECT)
            .string("piece").integer(piece)
            .end().toByteArray();
    }

    /** @return the dictionary that starts a data message for {@code piece}; the piece's bytes follow it. */
    public static byte[] dataHeader(final int piece, final long totalSize)
    {
        return new BencodeWriter(48).startDict()
            .string("msg_type").integer(DATA)
            .string("piece").integer(piece)
            .string("total_size").integer(totalSize)
            .end().toByteArray();
    }
}
