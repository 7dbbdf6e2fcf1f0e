package io.spate.wire;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeException;
import io.spate.bencode.BencodeLimits;
import io.spate.bencode.BencodeWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The BEP 10 extension handshake (extended message id 0): a bencoded dictionary whose {@code m} maps extension
 * names to the ids the sender wants to receive them on (0 = disabled), with the optional {@code v} (client),
 * {@code p} (TCP listen port), {@code reqq} (request queue depth), {@code metadata_size} (BEP 9) and
 * {@code yourip}. Control path: decoding allocates.
 * <p>
 * Decoding is lenient where BEP 10 says to be (unknown keys are ignored, as are known keys of the wrong type and
 * {@code m} entries whose id is not 0..255) and strict about the bencoding itself.
 *
 * @param extensions   extension name to id; ids 0..255, 0 meaning disabled (never null, unmodifiable).
 * @param client       {@code v}, or null when absent.
 * @param port         {@code p} 1..65535, or -1 when absent.
 * @param requestQueue {@code reqq} (positive), or -1 when absent.
 * @param metadataSize {@code metadata_size} (positive), or -1 when absent.
 * @param yourIp       {@code yourip} (4 or 16 bytes), or null when absent.
 */
public record ExtensionHandshake(
    Map<String, Integer> extensions, String client, int port, int requestQueue, long metadataSize, byte[] yourIp)
{
    /** The extended message id of the handshake itself. */
    public static final int HANDSHAKE_ID = 0;
    /** Name of the BEP 9 metadata exchange extension. */
    public static final String UT_METADATA = "ut_metadata";
    /** Name of the peer exchange extension (BEP 11). */
    public static final String UT_PEX = "ut_pex";

    private static final BencodeLimits LIMITS = new BencodeLimits(32, 1 << 16, 1 << 20, 4096);

    public ExtensionHandshake
    {
        final TreeMap<String, Integer> copy = new TreeMap<>();
        if (extensions != null)
        {
            for (final Map.Entry<String, Integer> e : extensions.entrySet())
            {
                final int id = e.getValue();
                if (id < 0 || id > 255)
                {
                    throw new IllegalArgumentException("extension id out of 0..255: " + e.getKey() + "=" + id);
                }
                copy.put(e.getKey(), id);
            }
        }
        extensions = Collections.unmodifiableMap(copy);
    }

    /** @return the id the sender receives extension {@code name} on, or 0 if it does not support it. */
    public int extensionId(final String name)
    {
        final Integer id = extensions.get(name);
        return id == null ? 0 : id;
    }

    /** @return the bencoded dictionary, keys in sorted order. */
    public byte[] encode()
    {
        final BencodeWriter w = new BencodeWriter(128);
        write(w);
        return w.toByteArray();
    }

    /**
     * Writes the whole EXTENDED frame: length prefix, id 20, extended id 0, dictionary.
     *
     * @return bytes written.
     */
    public int encodeFrame(final MutableDirectBuffer buf, final int offset)
    {
        final byte[] dict = encode();
        return MessageEncoder.extended(buf, offset, HANDSHAKE_ID, dict, 0, dict.length);
    }

    private void write(final BencodeWriter w)
    {
        // keys in byte order: m, metadata_size, p, reqq, v, yourip
        w.startDict();
        w.string("m").startDict();
        final String[] names = extensions.keySet().toArray(new String[0]);
        java.util.Arrays.sort(names, ExtensionHandshake::compareUtf8);
        for (final String name : names)
        {
            final byte[] raw = name.getBytes(StandardCharsets.UTF_8);
            w.bytes(raw, 0, raw.length).integer(extensions.get(name));
        }
        w.end();
        if (metadataSize > 0)
        {
            w.string("metadata_size").integer(metadataSize);
        }
        if (port > 0)
        {
            w.string("p").integer(port);
        }
        if (requestQueue > 0)
        {
            w.string("reqq").integer(requestQueue);
        }
        if (client != null)
        {
            final byte[] raw = client.getBytes(StandardCharsets.UTF_8);
            w.string("v").bytes(raw, 0, raw.length);
        }
        if (yourIp != null)
        {
            w.string("yourip").bytes(yourIp, 0, yourIp.length);
        }
        w.end();
    }

    /**
     * Decodes the payload of an extended message with id 0 (the bytes after the extended id).
     *
     * @return the handshake, or null if the payload is not a well-formed bencoded dictionary (never throws).
     */
    public static ExtensionHandshake decode(final DirectBuffer buf, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || length > LIMITS.maxInputLength() || offset > buf.capacity() - length)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buf.getBytes(offset, bytes);
        return decode(bytes);
    }

    /** As {@link #decode(DirectBuffer, int, int)} over a whole array. */
    public static ExtensionHandshake decode(final byte[] payload)
    {
        final BValue root;
        try
        {
            root = new BencodeDecoder(LIMITS, false).decode(payload, 0, payload.length);
        }
        catch (final BencodeException ex)
        {
            return null;
        }
        if (!(root instanceof BValue.BDict dict))
        {
            return null;
        }
        final Map<String, Integer> extensions = new TreeMap<>();
        if (dict.get("m") instanceof BValue.BDict m)
        {
            for (final Map.Entry<String, BValue> e : m.entries().entrySet())
            {
                if (e.getValue() instanceof BValue.BInteger id && id.value() >= 0 && id.value() <= 255)
                {
                    // keys are held as ISO-8859-1 (one char per byte); names are UTF-8 on the wire
                    final String name = new String(e.getKey().getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8);
                    extensions.put(name, (int)id.value());
                }
            }
        }
        final String client = dict.get("v") instanceof BValue.BString v ? v.utf8() : null;
        final long p = integer(dict, "p");
        final long reqq = integer(dict, "reqq");
        final long metadataSize = integer(dict, "metadata_size");
        final byte[] yourIp = dict.get("yourip") instanceof BValue.BString ip &&
            (ip.bytes().length == 4 || ip.bytes().length == 16) ? ip.bytes().clone() : null;
        return new ExtensionHandshake(
            extensions,
            client,
            p >= 1 && p <= 65535 ? (int)p : -1,
            reqq >= 1 && reqq <= Integer.MAX_VALUE ? (int)reqq : -1,
            metadataSize >= 1 ? metadataSize : -1,
            yourIp);
    }

    private static long integer(final BValue.BDict dict, final String key)
    {
        return dict.get(key) instanceof BValue.BInteger i ? i.value() : -1;
    }

    private static int compareUtf8(final String a, final String b)
    {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
