package io.spate.storage;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.PieceLayout;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A torrent's files on disk under one download directory: blocks go in with positional writes, pieces leave with
 * {@code FileChannel.transferTo} (zero-copy sends), and only the start-up check hashes through memory mappings
 * (released once it is done). Files are created (sparse, at their final length; 0-byte files too) when writable;
 * padding files (BEP 47) are never created and read as zeros. Every path maps its span onto file extents with
 * {@link PieceLayout#forEachExtent}.
 *
 * <p>A skipped file (priority 0) that is not on disk is never created: the bytes of it that wanted pieces share go
 * to the torrent's {@link PartFile} (see {@link SkippedFiles}), and move into the real file when it is wanted again
 * ({@link #unskip}). A skipped file already on disk keeps its bytes (libtorrent does the same).
 *
 * <p>Thread use: {@link #write} from disk handlers (each owns a shard of the pieces); hashing from them or from the
 * start-up check; {@link #send} from the owning network agent on verified pieces only; {@link #unskip} from a
 * control thread.
 */
public final class TorrentStorage implements AutoCloseable
{
    private final Metainfo metainfo;
    private final PieceLayout layout;
    /** Null for padding files and for files routed to the part file (set once such a file is unskipped). */
    private final ChannelFile[] files;
    private final Path root;
    /** The skipped files whose bytes go to the part file; null when there are none. */
    private final SkippedFiles skipped;

    private TorrentStorage(final Metainfo metainfo, final Path root, final ChannelFile[] files,
        final SkippedFiles skipped)
    {
        this.metainfo = metainfo;
        this.layout = metainfo.layout();
        this.files = files;
        this.root = root;
        this.skipped = skipped;
    }

    /** The part file's name in the data dir for this torrent ({@code .HASH.parts}, as libtorrent names it). */
    public static String partFileName(final Metainfo metainfo)
    {
        return PartFile.fileName(metainfo.infoHashHex());
    }

    /**
     * Opens (and when {@code writable}, creates) the torrent's files under {@code dir}.
     *
     * @throws StorageException naming the file when a path is unsafe, a file is missing for a read-only open, or the
     *                          disk lacks the space for the data still missing.
     */
    public static TorrentStorage open(final Metainfo metainfo, final Path dir, final boolean writable)
    {
        return open(metainfo, dir, writable, null);
    }

    /**
     * As {@link #open(Metainfo, Path, boolean)}, with the files' priorities: a skipped file that is not on disk is
     * not created, its shared bytes go to the part file; a wanted file the part file holds bytes of is created and
     * gets them.
     *
     * @param priorities null when every file is wanted.
     */
    public static TorrentStorage open(final Metainfo metainfo, final Path dir, final boolean writable,
        final FilePriorities priorities)
    {
        final List<FileEntry> entries = metainfo.files();
        final ChannelFile[] files = new ChannelFile[entries.size()];
        final boolean[] routed = new boolean[entries.size()];
        final Path[] paths = new Path[entries.size()]; // resolved once: each resolve asks the file system for the root
        SkippedFiles skipped = null;
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
            boolean anyRouted = false;
            for (int i = 0; i < entries.size(); i++)
            {
                final FileEntry entry = entries.get(i);
                final Path path = entry.padding() ? null : SafePaths.resolve(dir, elementsOf(metainfo, entry));
                paths[i] = path;
                routed[i] = path != null && priorities != null && priorities.skipped(i) && entry.length() > 0 &&
                    !Files.exists(path);
                anyRouted |= routed[i];
            }
            checkFreeSpace(metainfo, dir, writable, routed);
            if (anyRouted || Files.exists(dir.resolve(partFileName(metainfo))))
            {
                skipped = new SkippedFiles(metainfo, PartFile.open(dir.resolve(partFileName(metainfo)),
                    metainfo.pieceCount(), metainfo.pieceLength(), writable), routed);
            }
            for (int i = 0; i < entries.size(); i++)
            {
                final FileEntry entry = entries.get(i);
                if (!entry.padding() && !routed[i])
                {
                    final Path path = paths[i];
                    final boolean created = !Files.exists(path);
                    files[i] = openFile(dir, path, entry, writable);
                    if (created && writable && skipped != null)
                    {
                        skipped.moveIn(i, files[i]); // wanted again while stopped: its bytes leave the part file
                    }
                }
            }
            if (writable && skipped != null)
            {
                skipped.freeStale();
            }
            return new TorrentStorage(metainfo, dir, files, skipped);
        }
        catch (final IOException ex)
        {
            closeQuietly(files);
            closeQuietly(skipped);
            throw new StorageException(describe(ex), ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(files);
            closeQuietly(skipped);
            throw ex;
        }
    }

    /**
     * A skipped file is wanted again: creates it (sparse, full length), moves its bytes in from the part file and
     * routes its extents to it, all while the part file's writers wait, so no block is lost or overwritten on the
     * way. A no-op for a file that is not routed to the part file. Control path.
     *
     * @throws StorageException naming the file when it cannot be created or written.
     */
    public void unskip(final int file)
    {
        if (skipped == null || !skipped.routed(file))
        {
            return;
        }
        final FileEntry entry = metainfo.files().get(file);
        ChannelFile opened = null;
        try
        {
            final Path path = SafePaths.resolve(root, elementsOf(metainfo, entry));
            opened = openFile(root, path, entry, true);
            final ChannelFile real = opened;
            skipped.unskip(file, real, () -> files[file] = real);
        }
        catch (final IOException ex)
        {
            closeQuietly(new ChannelFile[] {opened});
            throw new StorageException(describe(ex), ex);
        }
    }

    /**
     * Whether the bytes of the piece that belong in the part file are there (all of them, up to the piece's last
     * such byte): false means resume data claims a piece whose part-file bytes are gone.
     */
    public boolean holdsPartBytes(final int piece)
    {
        return skipped == null || skipped.holds(piece);
    }

    private static void closeQuietly(final SkippedFiles skipped)
    {
        if (skipped != null)
        {
            skipped.close();
        }
    }

    private static ChannelFile openFile(final Path dir, final Path path, final FileEntry entry, final boolean writable)
        throws IOException
    {
        final String display = path.toString();
        final boolean preexisting = Files.exists(path) && Files.size(path) > 0;
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
        return new ChannelFile(display, channel, entry.length(), writable, preexisting);
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

    private static void checkFreeSpace(final Metainfo metainfo, final Path dir, final boolean writable,
        final boolean[] routed) throws IOException
    {
        if (!writable)
        {
            return;
        }
        long needed = 0;
        for (int i = 0; i < routed.length; i++)
        {
            final FileEntry entry = metainfo.files().get(i);
            if (!entry.padding() && !routed[i])
            {
                needed += entry.length();
            }
        }
        // File's statvfs, not Files.getFileStore, which reads the whole mount table first: 18 % of a fast-resume start's
        // CPU (async-profiler, perf-results/service/seedbox.md); 0 means it could not tell, and the store is asked
        final long statvfs = dir.toFile().getUsableSpace();
        final long usable = statvfs > 0 ? statvfs : Files.getFileStore(dir).getUsableSpace();
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
     * @param src a buffer over a direct ByteBuffer (the ring's block buffers are), holding the block from index 0.
     * @throws StorageException naming the file when the write fails (disk full, I/O error).
     */
    public void write(final int piece, final int begin, final DirectBuffer src, final int length)
    {
        layout.forEachExtent(piece, begin, length, TorrentStorage::writeExtent, this, src);
    }

    /**
     * Fills {@code dst}'s remaining bytes from the files with positional reads, padding files reading as zeros: for
     * hashing a piece back and for tests and tools (sends use {@link #send}).
     *
     * @throws StorageException naming the file when the read fails.
     */
    public void read(final int piece, final int begin, final ByteBuffer dst)
    {
        layout.forEachExtent(piece, begin, dst.remaining(), TorrentStorage::readExtent, this, dst);
    }

    /**
     * Hashes piece {@code piece} through the files' mappings and compares it with the torrent's hash (the start-up
     * check).
     *
     * @param md      a SHA-1 digest owned by the calling thread.
     * @param scratch 20+ bytes owned by the calling thread.
     */
    public boolean verifyPiece(final int piece, final MessageDigest md, final byte[] scratch)
    {
        md.reset();
        layout.forEachExtent(piece, 0, metainfo.pieceSize(piece), TorrentStorage::digestExtent, this, md);
        return matches(piece, md, scratch);
    }

    /**
     * Hashes piece {@code piece} with positional reads through {@code chunk} (a buffer owned by the calling thread;
     * the engine's are direct, see DiskHandler), so files being downloaded stay unmapped; compares it with the
     * torrent's hash.
     */
    public boolean verifyPieceByReading(final int piece, final MessageDigest md, final byte[] scratch,
        final ByteBuffer chunk)
    {
        md.reset();
        final int length = metainfo.pieceSize(piece);
        for (int done = 0; done < length; done += chunk.position())
        {
            chunk.clear().limit(Math.min(chunk.capacity(), length - done));
            read(piece, done, chunk);
            md.update(chunk.flip()); // leaves the position at the bytes read, as the loop expects
        }
        return matches(piece, md, scratch);
    }

    private boolean matches(final int piece, final MessageDigest md, final byte[] scratch)
    {
        try
        {
            md.digest(scratch, 0, 20);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        return metainfo.pieceHashMatches(piece, scratch, 0);
    }

    /** Releases every file's mappings; call only while no thread hashes through them (after the start-up check). */
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

    /** @return true if every file that piece {@code piece} touches held data before this open (worth checking). */
    public boolean mayHoldData(final int piece)
    {
        final int length = metainfo.pieceSize(piece);
        final boolean[] anyFile = new boolean[1];
        return layout.forEachExtent(piece, 0, length, TorrentStorage::heldDataExtent, this, anyFile) == length &&
            anyFile[0];
    }

    /**
     * Sends up to {@code length} bytes of a verified piece, from {@code begin}, with {@code transferTo}; stops at the
     * first partial write so the caller can resume when the socket is writable again. No allocation.
     *
     * @return bytes sent (possibly 0).
     */
    public long send(final int piece, final int begin, final int length, final WritableByteChannel target)
        throws IOException
    {
        return layout.forEachExtent(piece, begin, length, TorrentStorage::sendExtent, this, target);
    }

    // What each path does with one extent: static, so that the method references above capture nothing and no call
    // allocates (the storage comes in as an argument, not as a captured this).

    private static int writeExtent(final TorrentStorage storage, final DirectBuffer src, final int file,
        final long fileOffset, final int length, final int spanOffset)
    {
        final ChannelFile f = storage.files[file];
        if (f == null && storage.skipped != null && storage.skipped.maybeRouted(file))
        {
            storage.skipped.write(file, fileOffset, src, spanOffset, length, storage.files);
        }
        else if (f != null) // a padding file (BEP 47) takes nothing
        {
            try
            {
                f.write(fileOffset, src, spanOffset, length);
            }
            catch (final IOException ex)
            {
                throw failed(f, "write", length, fileOffset, ex);
            }
        }
        return length;
    }

    private static int readExtent(final TorrentStorage storage, final ByteBuffer dst, final int file,
        final long fileOffset, final int length, final int spanOffset)
    {
        final ChannelFile f = storage.files[file];
        dst.limit(dst.position() + length); // raised again by the next extent; the last one ends at the caller's limit
        if (f == null && storage.skipped != null && storage.skipped.maybeRouted(file))
        {
            storage.skipped.read(file, fileOffset, dst, storage.files);
            return length;
        }
        if (f == null)
        {
            while (dst.hasRemaining())
            {
                dst.put((byte)0);
            }
            return length;
        }
        try
        {
            f.read(fileOffset, dst);
        }
        catch (final IOException ex)
        {
            throw failed(f, "read", length, fileOffset, ex);
        }
        return length;
    }

    private static StorageException failed(final ChannelFile f, final String what, final int length,
        final long fileOffset, final IOException ex)
    {
        return new StorageException(f.displayPath() + ": " + what + " of " + length + " bytes at " + fileOffset +
            " failed: " + ex.getMessage(), ex);
    }

    private static int digestExtent(final TorrentStorage storage, final MessageDigest md, final int file,
        final long fileOffset, final int length, final int spanOffset)
    {
        final ChannelFile f = storage.files[file];
        if (f == null && storage.skipped != null && storage.skipped.maybeRouted(file))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(length); // control path (the start-up check)
            storage.skipped.read(file, fileOffset, bytes, storage.files);
            md.update(bytes.flip());
        }
        else if (f == null)
        {
            md.update(new byte[length]); // a padding file: zeros; control path, so a fresh array is fine
        }
        else
        {
            f.digest(fileOffset, length, md);
        }
        return length;
    }

    private static int heldDataExtent(final TorrentStorage storage, final boolean[] anyFile, final int file,
        final long fileOffset, final int length, final int spanOffset)
    {
        final ChannelFile f = storage.files[file];
        if (f == null && storage.skipped != null && storage.skipped.maybeRouted(file))
        {
            anyFile[0] = true;
            return storage.skipped.holdsAny(file, fileOffset) ? length : 0;
        }
        if (f == null)
        {
            return length;
        }
        anyFile[0] = true;
        return f.preexisting() ? length : 0; // a file this open created holds nothing: stop there
    }

    private static int sendExtent(final TorrentStorage storage, final WritableByteChannel target, final int file,
        final long fileOffset, final int length, final int spanOffset) throws IOException
    {
        final ChannelFile f = storage.files[file];
        if (f == null && storage.skipped != null && storage.skipped.maybeRouted(file))
        {
            return (int)storage.skipped.transferTo(file, fileOffset, length, target, storage.files);
        }
        if (f == null)
        {
            throw new StorageException(storage.metainfo.files().get(file).displayPath() +
                ": a padding file, which cannot be sent");
        }
        return (int)f.transferTo(fileOffset, length, target);
    }

    /** Forces written data to disk (on completion and close); a failure is reported, not thrown. */
    public void flush()
    {
        if (skipped != null)
        {
            skipped.flush();
        }
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
        closeQuietly(skipped);
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
