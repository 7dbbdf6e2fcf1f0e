package io.spate.storage;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.PieceLayout;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A torrent's files on disk under one download directory, memory-mapped for block writes and hashing, with
 * {@code FileChannel.transferTo} for zero-copy sends. Files are created (sparse, at their final length; 0-byte
 * files too) when writable; padding files (BEP 47) are never created and read as zeros.
 *
 * <p>Thread use: {@link #write} from disk handlers (each owns a shard of the pieces); hashing from them or from the
 * resume check; {@link #send} from the owning network agent on verified pieces only.
 */
public final class TorrentStorage implements AutoCloseable
{
    private final Metainfo metainfo;
    private final PieceLayout layout;
    private final ChannelFile[] files;
    private final boolean[] preexisting;
    private final Path root;

    private TorrentStorage(final Metainfo metainfo, final Path root, final ChannelFile[] files,
        final boolean[] preexisting)
    {
        this.metainfo = metainfo;
        this.layout = metainfo.layout();
        this.files = files;
        this.preexisting = preexisting;
        this.root = root;
    }

    /**
     * Opens (and when {@code writable}, creates) the torrent's files under {@code dir}.
     *
     * @throws StorageException naming the file when a path is unsafe, a file is missing for a read-only open, or the
     *                          disk lacks the space for the data still missing.
     */
    public static TorrentStorage open(final Metainfo metainfo, final Path dir, final boolean writable)
    {
        final List<FileEntry> entries = metainfo.files();
        final ChannelFile[] files = new ChannelFile[entries.size()];
        final boolean[] preexisting = new boolean[entries.size()];
        try
        {
            if (writable)
            {
                Files.createDirectories(dir);
            }
            else if (!Files.isDirectory(dir))
            {
                throw new StorageException(dir + ": no such directory");
            }
            checkFreeSpace(metainfo, dir, writable);
            for (int i = 0; i < entries.size(); i++)
            {
                final FileEntry entry = entries.get(i);
                if (entry.padding())
                {
                    continue;
                }
                final Path path = SafePaths.resolve(dir, elementsOf(metainfo, entry));
                preexisting[i] = Files.exists(path) && Files.size(path) > 0;
                files[i] = openFile(dir, path, entry, writable);
            }
            return new TorrentStorage(metainfo, dir, files, preexisting);
        }
        catch (final IOException ex)
        {
            closeQuietly(files);
            throw new StorageException(describe(ex), ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(files);
            throw ex;
        }
    }

    private static ChannelFile openFile(final Path dir, final Path path, final FileEntry entry, final boolean writable)
        throws IOException
    {
        final String display = path.toString();
        if (writable)
        {
            SafePaths.createParents(dir, path);
            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
            {
                if (raf.length() != entry.length())
                {
                    raf.setLength(entry.length()); // sparse: blocks are allocated as pieces arrive
                }
            }
        }
        else
        {
            if (!Files.isRegularFile(path))
            {
                throw new StorageException(display + ": missing (the torrent lists " + entry.length() + " bytes)");
            }
            if (Files.size(path) != entry.length())
            {
                throw new StorageException(display + ": is " + Files.size(path) + " bytes, the torrent says " +
                    entry.length());
            }
        }
        final FileChannel channel = writable
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ);
        return new ChannelFile(display, channel, entry.length(), writable);
    }

    private static List<String> elementsOf(final Metainfo metainfo, final FileEntry entry)
    {
        if (metainfo.isSingleFile())
        {
            return entry.path();
        }
        final List<String> elements = new ArrayList<>(entry.path().size() + 1);
        elements.add(metainfo.name());
        elements.addAll(entry.path());
        return elements;
    }

    private static void checkFreeSpace(final Metainfo metainfo, final Path dir, final boolean writable)
        throws IOException
    {
        if (!writable)
        {
            return;
        }
        long needed = 0;
        for (final FileEntry entry : metainfo.files())
        {
            if (!entry.padding())
            {
                needed += entry.length();
            }
        }
        final long usable = Files.getFileStore(dir).getUsableSpace();
        // data already present counts: only refuse when even an empty directory could not hold the torrent
        if (usable < needed && usable < needed - existingBytes(metainfo, dir))
        {
            throw new StorageException(dir + ": not enough disk space: the torrent needs " + needed +
                " bytes, " + usable + " are free");
        }
    }

    private static long existingBytes(final Metainfo metainfo, final Path dir)
    {
        long total = 0;
        for (final FileEntry entry : metainfo.files())
        {
            try
            {
                final Path path = SafePaths.resolve(dir, elementsOf(metainfo, entry));
                if (Files.isRegularFile(path))
                {
                    total += Math.min(Files.size(path), entry.length());
                }
            }
            catch (final IOException | RuntimeException ignored)
            {
                // a path we cannot resolve holds nothing of ours
            }
        }
        return total;
    }

    public Metainfo metainfo()
    {
        return metainfo;
    }

    public Path root()
    {
        return root;
    }

    /**
     * Writes a received block into the files. Called by the disk handler owning the piece; no allocation.
     *
     * @param src a buffer over a direct ByteBuffer (the ring's block buffers are).
     * @throws StorageException naming the file when the write fails (disk full, I/O error).
     */
    public void write(final int piece, final int begin, final DirectBuffer src, final int srcOffset, final int length)
    {
        long stream = (long)piece * layout.pieceLength() + begin;
        int done = 0;
        while (done < length)
        {
            final int file = layout.fileHolding(stream);
            final long fileOffset = stream - layout.fileStart(file);
            final int n = (int)Math.min(length - done, layout.fileLength(file) - fileOffset);
            if (files[file] != null)
            {
                try
                {
                    files[file].write(fileOffset, src, srcOffset + done, n);
                }
                catch (final IOException ex)
                {
                    throw new StorageException(metainfo.files().get(file).displayPath() + ": write of " + n +
                        " bytes at " + fileOffset + " failed: " + ex.getMessage(), ex);
                }
            }
            done += n;
            stream += n;
        }
    }

    /** Reads a span of a piece into {@code dst}; for tests and tools (sends use {@link #send}). */
    public void read(final int piece, final int begin, final byte[] dst, final int dstOffset, final int length)
    {
        long stream = (long)piece * layout.pieceLength() + begin;
        int done = 0;
        while (done < length)
        {
            final int file = layout.fileHolding(stream);
            final long fileOffset = stream - layout.fileStart(file);
            final int n = (int)Math.min(length - done, layout.fileLength(file) - fileOffset);
            if (files[file] != null)
            {
                files[file].read(fileOffset, dst, dstOffset + done, n);
            }
            else
            {
                java.util.Arrays.fill(dst, dstOffset + done, dstOffset + done + n, (byte)0);
            }
            done += n;
            stream += n;
        }
    }

    /**
     * Hashes piece {@code piece} from the mapped files and compares it with the torrent's hash (the resume check).
     *
     * @param md      a SHA-1 digest owned by the calling thread.
     * @param scratch 20+ bytes owned by the calling thread.
     */
    public boolean verifyPiece(final int piece, final MessageDigest md, final byte[] scratch)
    {
        return hashPiece(piece, md, scratch, null);
    }

    /**
     * Hashes piece {@code piece} with positional reads through {@code chunk} (a heap buffer owned by the calling
     * thread), so files being downloaded stay unmapped; compares it with the torrent's hash.
     */
    public boolean verifyPieceByReading(final int piece, final MessageDigest md, final byte[] scratch,
        final java.nio.ByteBuffer chunk)
    {
        return hashPiece(piece, md, scratch, chunk);
    }

    /** Releases every file's mappings; call only while no thread hashes through them (after the resume check). */
    public void releaseMappings()
    {
        for (final ChannelFile f : files)
        {
            if (f != null)
            {
                f.unmap();
            }
        }
    }

    private boolean hashPiece(final int piece, final MessageDigest md, final byte[] scratch,
        final java.nio.ByteBuffer chunk)
    {
        md.reset();
        final int length = metainfo.pieceSize(piece);
        long stream = (long)piece * layout.pieceLength();
        int done = 0;
        while (done < length)
        {
            final int file = layout.fileHolding(stream);
            final long fileOffset = stream - layout.fileStart(file);
            final int n = (int)Math.min(length - done, layout.fileLength(file) - fileOffset);
            if (files[file] == null)
            {
                feedZeros(md, n);
            }
            else if (chunk == null)
            {
                files[file].digest(fileOffset, n, md);
            }
            else
            {
                try
                {
                    files[file].digestByReading(fileOffset, n, md, chunk);
                }
                catch (final IOException ex)
                {
                    throw new StorageException(metainfo.files().get(file).displayPath() + ": read of " + n +
                        " bytes at " + fileOffset + " failed: " + ex.getMessage(), ex);
                }
            }
            done += n;
            stream += n;
        }
        try
        {
            md.digest(scratch, 0, 20);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        return metainfo.pieceHashMatches(piece, scratch, 0);
    }

    private static void feedZeros(final MessageDigest md, final int len)
    {
        final byte[] zeros = new byte[Math.min(len, 16384)];
        int left = len;
        while (left > 0)
        {
            final int n = Math.min(left, zeros.length);
            md.update(zeros, 0, n);
            left -= n;
        }
    }

    /** @return true if every file that piece {@code piece} touches held data before this open (worth checking). */
    public boolean mayHoldData(final int piece)
    {
        final boolean[] result = {true};
        final boolean[] any = {false};
        layout.forEachExtent(piece, 0, metainfo.pieceSize(piece), (file, fileOffset, len, spanOffset) ->
        {
            if (files[file] != null)
            {
                any[0] = true;
                if (!preexisting[file])
                {
                    result[0] = false;
                }
            }
        });
        return result[0] && any[0];
    }

    /**
     * Sends up to {@code length} bytes of a verified piece, from {@code begin}, with {@code transferTo}; stops at the
     * first partial write so the caller can resume when the socket is writable again.
     *
     * @return bytes sent (possibly 0).
     */
    public long send(final int piece, final int begin, final int length, final WritableByteChannel target)
        throws IOException
    {
        long stream = (long)piece * layout.pieceLength() + begin;
        long sent = 0;
        while (sent < length)
        {
            final int file = layout.fileHolding(stream);
            final long fileOffset = stream - layout.fileStart(file);
            final long n = Math.min(length - sent, layout.fileLength(file) - fileOffset);
            if (files[file] == null)
            {
                throw new StorageException("piece " + piece + " spans a padding file, which cannot be sent");
            }
            final long wrote = files[file].transferTo(fileOffset, n, target);
            sent += wrote;
            stream += wrote;
            if (wrote < n)
            {
                break;
            }
        }
        return sent;
    }

    /** Forces written data to disk (on completion and close); a failure is reported, not thrown. */
    public void flush()
    {
        for (final ChannelFile f : files)
        {
            if (f != null)
            {
                try
                {
                    f.flush();
                }
                catch (final IOException ignored)
                {
                    // the data is in the page cache; the kernel writes it back
                }
            }
        }
    }

    @Override
    public void close()
    {
        closeQuietly(files);
    }

    private static void closeQuietly(final ChannelFile[] files)
    {
        for (final ChannelFile f : files)
        {
            if (f != null)
            {
                try
                {
                    f.close();
                }
                catch (final IOException ignored)
                {
                    // closing: nothing left to save
                }
            }
        }
    }

    static String describe(final IOException ex)
    {
        if (ex instanceof java.nio.file.FileSystemException fse)
        {
            return fse.getFile() + ": " + (fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName());
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }
}
