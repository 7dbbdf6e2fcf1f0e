package io.spate.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-1 helpers for info-hashes and piece hashes. */
public final class InfoHash
{
    public static final int LENGTH = 20;

    private InfoHash()
    {
    }

    public static byte[] sha1(final byte[] data, final int offset, final int length)
    {
        final MessageDigest md = newSha1();
        md.update(data, offset, length);
        return md.digest();
    }

    public static MessageDigest newSha1()
    {
        try
        {
            return MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required by every Java platform", ex);
        }
    }

    public static String hex(final byte[] hash)
    {
        return HexFormat.of().formatHex(hash);
    }

    public static byte[] fromHex(final String hex)
    {
        if (hex.length() != 2 * LENGTH)
        {
            throw new IllegalArgumentException("info-hash must be 40 hex characters: " + hex);
        }
        return HexFormat.of().parseHex(hex);
    }
}
