package io.spate.bench;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Why blocks are written with positional writes rather than stores into a mapping: writes 16 KiB blocks into a
 * fresh sparse file both ways, side by side, and prints MB/s for each.
 * {@code java -cp bench/target/bench.jar io.spate.bench.BlockWriteProbe [MiB] [rounds]} (files under /tmp).
 */
public final class BlockWriteProbe
{
    private static final int BLOCK = 16 * 1024;

    public static void main(final String[] args) throws Exception
    {
        final long size = (args.length > 0 ? Long.parseLong(args[0]) : 512) << 20;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
        final Path file = Path.of("/tmp/spate-block-write-probe.bin");
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                fresh(file, size);
                long start = System.nanoTime();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
                {
                    final MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
                    for (long at = 0; at < size; at += BLOCK)
                    {
                        map.put((int)at, block, 0, BLOCK);
                    }
                }
                final double mapped = size / 1e6 / ((System.nanoTime() - start) / 1e9);
                fresh(file, size);
                start = System.nanoTime();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
                {
                    for (long at = 0; at < size; at += BLOCK)
                    {
                        block.clear();
                        ch.write(block, at);
                    }
                }
                final double positional = size / 1e6 / ((System.nanoTime() - start) / 1e9);
                System.out.printf("round %d: mapped stores %.0f MB/s, positional writes %.0f MB/s%n", r, mapped,
                    positional);
            }
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static void fresh(final Path file, final long size) throws Exception
    {
        Files.deleteIfExists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
    }
}
