package io.spate.bench;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Why blocks are written with positional writes rather than stores into a mapping, and why a file being downloaded
 * is not mapped at all: writes blocks (16 KiB by default) into a fresh sparse file three ways (stores into a mapping; positional
 * writes; positional writes while an untouched read-only mapping of the file exists), side by side, MB/s for each.
 * {@code java -cp bench/target/bench.jar io.spate.bench.BlockWriteProbe [MiB] [rounds] [block KiB]} (files under /tmp).
 */
public final class BlockWriteProbe
{

    public static void main(final String[] args) throws Exception
    {
        final long size = (args.length > 0 ? Long.parseLong(args[0]) : 512) << 20;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final int blockSize = (args.length > 2 ? Integer.parseInt(args[2]) : 16) * 1024;
        final ByteBuffer block = ByteBuffer.allocateDirect(blockSize);
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
                    for (long at = 0; at < size; at += blockSize)
                    {
                        map.put((int)at, block, 0, blockSize);
                    }
                }
                final double mapped = size / 1e6 / ((System.nanoTime() - start) / 1e9);
                fresh(file, size);
                start = System.nanoTime();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
                {
                    for (long at = 0; at < size; at += blockSize)
                    {
                        block.clear();
                        ch.write(block, at);
                    }
                }
                final double positional = size / 1e6 / ((System.nanoTime() - start) / 1e9);
                fresh(file, size);
                start = System.nanoTime();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
                {
                    final MappedByteBuffer readOnly = ch.map(FileChannel.MapMode.READ_ONLY, 0, size); // never read
                    for (long at = 0; at < size; at += blockSize)
                    {
                        block.clear();
                        ch.write(block, at);
                    }
                    org.agrona.IoUtil.unmap(readOnly);
                }
                final double whileMapped = size / 1e6 / ((System.nanoTime() - start) / 1e9);
                System.out.printf("round %d: mapped stores %.0f MB/s, positional writes %.0f MB/s, positional writes" +
                    " while a read-only mapping is alive %.0f MB/s%n", r, mapped, positional, whileMapped);
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
