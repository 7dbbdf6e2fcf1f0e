package io.spate.metainfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Test helper: directories of pseudo-random files with nested folders and 0-byte files. */
public final class SourceTrees
{
    private SourceTrees()
    {
    }

    /** Writes {@code length} pseudo-random bytes (seeded) to {@code file}, creating parent folders. */
    public static byte[] write(final Path file, final int length, final long seed) throws IOException
    {
        final byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        return data;
    }

    /**
     * Makes {@code root} with nested folders and 0-byte files. Returns the relative paths in torrent order
     * (sorted by path elements) with their lengths: "b/empty" 0, "b/c/d/big.bin" 3 MiB + 77, "b/c/small" 1,000,
     * "a-zero" 0, "z.txt" 70,000, ...
     */
    public static List<Object[]> tree(final Path root) throws IOException
    {
        final List<Object[]> files = List.of(
            new Object[] {"a-zero", 0},
            new Object[] {"b/c/d/big.bin", (3 << 20) + 77},
            new Object[] {"b/c/small", 1000},
            new Object[] {"b/empty", 0},
            new Object[] {"b/zz/empty-too", 0},
            new Object[] {"z.txt", 70_000});
        long seed = 1;
        for (final Object[] f : files)
        {
            write(root.resolve((String)f[0]), (Integer)f[1], seed++);
        }
        return files;
    }

    /** @return the concatenation of the given files under {@code root}, in the given order. */
    public static byte[] concat(final Path root, final List<Object[]> files) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Object[] f : files)
        {
            out.write(Files.readAllBytes(root.resolve((String)f[0])));
        }
        return out.toByteArray();
    }
}
