package io.spate.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash ({@code kill -9}, power loss) at any moment leaves either the old content or the
 * new, never a mix: the bytes go to a temporary file beside it, which is forced to disk, renamed over the target
 * (atomic on one file system), and then the directory is forced so the rename itself is durable.
 */
public final class AtomicFiles
{
    /** Suffix of the temporary files; one left by a crash is ignored by readers and overwritten by the next write. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles()
    {
    }

    public static void write(final Path target, final byte[] content) throws IOException
    {
        final Path dir = target.toAbsolutePath().getParent();
        final Path temp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.deleteIfExists(temp);
            throw new IOException(target + ": the file system cannot rename atomically", ex);
        }
        forceDirectory(dir);
    }

    /** Makes the directory's entries (a rename, a new file, a deletion) durable. */
    public static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
