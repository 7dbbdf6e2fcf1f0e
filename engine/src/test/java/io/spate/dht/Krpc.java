package io.spate.dht;

import java.nio.charset.StandardCharsets;

/** Test helpers: KRPC datagrams as text (ISO-8859-1, one char a byte) and decoding them. */
final class Krpc
{
    static final String ID_A = "abcdefghij0123456789";
    static final String ID_B = "mnopqrstuvwxyz123456";

    private Krpc()
    {
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static KrpcMessage decode(final String text) throws KrpcDropException
    {
        final byte[] b = bytes(text);
        return new KrpcDecoder().decode(b, b.length);
    }

    static KrpcMessage decode(final byte[] b) throws KrpcDropException
    {
        return new KrpcDecoder().decode(b, b.length);
    }

    static String text(final byte[] b, final int length)
    {
        return new String(b, 0, length, StandardCharsets.ISO_8859_1);
    }
}
