package io.spate.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-1 helpers for info-hashes and piece hashes. */
public final class InfoHash
{
    public static final int LENGTH = 20;
    /**
     * Never updated, only cloned: an engine's start makes ~65 digests (a spare pool per disk handler), and each
     * MessageDigest.getInstance looks the provider up and, past the 15th, makes the JDK generate a reflective
     * constructor accessor class; 65 clones take 0.2 ms of CPU against 2.7 ms (medians, tools/startup/probes/
     * DigestProbe.java, perf-results/startup/20261207/probes.txt).
     */
    private static final MessageDigest SHA1_PROTOTYPE = lookUpSha1();

    private InfoHash()
    {
    }

    public static byte[] sha1(final byte[] data, final int offset, final int length)
    {
        final MessageDigest md = newSha1();
        md.update(data, offset, length);
        return md.digest();
    }

    /** A fresh SHA-1 digest, this thread's alone. */
    public static MessageDigest newSha1()
    {
        try
        {
            return (MessageDigest)SHA1_PROTOTYPE.clone();
        }
        catch (final CloneNotSupportedException ex)
        {
            return lookUpSha1(); // a provider whose digest cannot be cloned
        }
    }

    private static MessageDigest lookUpSha1()
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
