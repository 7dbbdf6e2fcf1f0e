package io.spate.bencode;

import java.nio.charset.StandardCharsets;

/** Test helper: bencode text as bytes (ISO-8859-1, one byte per char). */
final class Bytes
{
    private Bytes()
    {
    }

    static byte[] of(final String latin1)
    {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
