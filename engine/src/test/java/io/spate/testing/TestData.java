package io.spate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Random test content and byte-for-byte comparison (SHA-256 of every file under a directory). */
public final class TestData
{
    private TestData()
    {
    }

    /** Writes {@code length} pseudo-random bytes (seeded: reproducible) to {@code file}, creating parents. */
    public static Path file(final Path file, final long length, final long seed) throws IOException
    {
        Files.createDirectories(file.getParent());
        final Random random = new Random(seed);
        final byte[] chunk = new byte[1 << 16];
        try (var out = Files.newOutputStream(file))
        {
            long left = length;
            while (left > 0)
            {
                random.nextBytes(chunk);
                final int n = (int)Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** @return relative path → SHA-256 hex of every regular file under {@code root}, sorted. */
    public static Map<String, String> manifest(final Path root) throws IOException
    {
        final Map<String, String> manifest = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                manifest.put(root.relativize(file).toString().replace('\\', '/'), sha256(file));
            }
        }
        return manifest;
    }

    public static String sha256(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final MessageDigest md = MessageDigest.getInstance("SHA-256");
            final byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0)
            {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
