package io.spate.tracker.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The info-hashes a tracker serves, like opentracker's {@code -w} file: one 40-character hex info-hash a line;
 * blank lines and lines starting with {@code #} are ignored. Immutable once built.
 */
public final class Whitelist
{
    private final Set<InfoHashKey> hashes;

    private Whitelist(final Set<InfoHashKey> hashes)
    {
        this.hashes = hashes;
    }

    /** @param infoHashes 20-byte info-hashes. */
    public static Whitelist of(final Collection<byte[]> infoHashes)
    {
        final Set<InfoHashKey> set = new HashSet<>();
        for (final byte[] hash : infoHashes)
        {
            if (hash.length != InfoHashKey.LENGTH)
            {
                throw new IllegalArgumentException("info-hash must be 20 bytes, got " + hash.length);
            }
            set.add(InfoHashKey.copyOf(hash, 0));
        }
        return new Whitelist(set);
    }

    /**
     * Reads a whitelist file.
     *
     * @throws IOException              if the file cannot be read.
     * @throws IllegalArgumentException naming the file and line of a malformed entry.
     */
    public static Whitelist read(final Path file) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        final Set<InfoHashKey> set = new HashSet<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final byte[] hash = parseHex(line);
            if (hash == null)
            {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected a 40-character hex info-hash");
            }
            set.add(InfoHashKey.copyOf(hash, 0));
        }
        return new Whitelist(set);
    }

    /** @return the 20 bytes of a 40-character hex string, or null if it is not one. */
    public static byte[] parseHex(final String hex)
    {
        if (hex.length() != 2 * InfoHashKey.LENGTH)
        {
            return null;
        }
        final byte[] out = new byte[InfoHashKey.LENGTH];
        for (int i = 0; i < out.length; i++)
        {
            final int hi = Character.digit(hex.charAt(2 * i), 16);
            final int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                return null;
            }
            out[i] = (byte)((hi << 4) | lo);
        }
        return out;
    }

    public int size()
    {
        return hashes.size();
    }

    boolean contains(final InfoHashKey key)
    {
        return hashes.contains(key);
    }
}
