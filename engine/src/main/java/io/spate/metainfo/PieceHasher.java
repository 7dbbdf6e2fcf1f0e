package io.spate.metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hashes the pieces of a list of files seen as one byte stream, on a fixed pool of threads. Each thread claims a
 * batch of whole consecutive pieces (at least {@link #MIN_BATCH_BYTES}), reads it in order with positional
 * {@link FileChannel} reads of {@link #READ_CHUNK_BYTES} into its own direct buffer (file by file through
 * {@link PieceLayout#forEachExtent}), and hashes each chunk while it is still in cache with its own
 * {@link MessageDigest}. Threads share nothing but the batch counter, the progress counter and disjoint 20-byte slots
 * of the result. Progress is reported on the calling thread.
 */
final class PieceHasher
{
    /** Work a thread claims at once: consecutive pieces, read in order, so each thread streams through its files. */
    static final int MIN_BATCH_BYTES = 8 << 20;
    /** Size of one read, then hashed at once while still in cache. */
    static final int READ_CHUNK_BYTES = 256 << 10;
    /** How often the calling thread reports progress while the workers hash. */
    static final long PROGRESS_INTERVAL_MS = 100;

    private final List<SourceFiles.Source> files;
    private final PieceLayout layout;
    private final long totalLength;
    private final int pieceLength;
    private final int pieceCount;
    private final int piecesPerBatch;
    private final int batchCount;
    private final byte[] hashes;
    private final AtomicInteger nextBatch = new AtomicInteger();
    private final AtomicLong bytesHashed = new AtomicLong();
    private volatile boolean failed;

    PieceHasher(final List<SourceFiles.Source> files, final int pieceLength)
    {
        this.files = files;
        this.layout = new PieceLayout(files.stream().mapToLong(SourceFiles.Source::length).toArray(), pieceLength);
        this.totalLength = layout.totalLength();
        this.pieceLength = pieceLength;
        final long pieces = (totalLength + pieceLength - 1) / pieceLength;
        if (pieces * InfoHash.LENGTH > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(pieces + " pieces of " + pieceLength + " bytes are too many");
        }
        this.pieceCount = (int)pieces;
        this.piecesPerBatch = Math.max(1, MIN_BATCH_BYTES / pieceLength);
        this.batchCount = (pieceCount + piecesPerBatch - 1) / piecesPerBatch;
        this.hashes = new byte[pieceCount * InfoHash.LENGTH];
    }

    /** Hashes every piece with {@code threads} threads; returns the concatenated 20-byte SHA-1 of each piece. */
    byte[] hash(final int threads, final TorrentBuilder.Progress progress) throws IOException
    {
        final int workers = Math.max(1, Math.min(threads, batchCount));
        final ExecutorService pool = Executors.newFixedThreadPool(workers, runnable ->
        {
            final Thread t = new Thread(runnable, "spate-hash");
            t.setDaemon(true);
            return t;
        });
        try
        {
            final List<Future<Void>> futures = new ArrayList<>(workers);
            for (int i = 0; i < workers; i++)
            {
                futures.add(pool.submit(this::work));
            }
            for (final Future<Void> future : futures)
            {
                awaitWithProgress(future, progress);
            }
            progress.hashed(bytesHashed.get(), totalLength);
            return hashes;
        }
        finally
        {
            failed = true; // stops the other workers when one failed or the caller was interrupted
            pool.shutdownNow();
        }
    }

    private void awaitWithProgress(final Future<Void> future, final TorrentBuilder.Progress progress)
        throws IOException
    {
        while (true)
        {
            try
            {
                future.get(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
                return;
            }
            catch (final TimeoutException ex)
            {
                progress.hashed(bytesHashed.get(), totalLength);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while hashing", ex);
            }
            catch (final ExecutionException ex)
            {
                if (ex.getCause() instanceof IOException io)
                {
                    throw io;
                }
                throw new IOException(ex.getCause().toString(), ex.getCause());
            }
        }
    }

    private Void work() throws IOException, DigestException
    {
        final MessageDigest sha1 = PieceSha1.newDigest();
        // small enough to stay in L2 between the read and the hash: reading a whole batch first sends every byte
        // through main memory twice more (measured: 256 KiB reads hash ~1.4x faster than 8 MiB ones here)
        final int chunk = (int)Math.min(Math.min(pieceLength, READ_CHUNK_BYTES), totalLength);
        final ByteBuffer view = ByteBuffer.allocateDirect(chunk); // read into directly, no copy through a temporary
        final OpenFile open = new OpenFile(files);
        try
        {
            int batch;
            while (!failed && (batch = nextBatch.getAndIncrement()) < batchCount)
            {
                final int firstPiece = batch * piecesPerBatch;
                final int lastPiece = Math.min(pieceCount, firstPiece + piecesPerBatch);
                for (int piece = firstPiece; piece < lastPiece; piece++)
                {
                    final long pieceStart = (long)piece * pieceLength;
                    final int size = (int)Math.min(pieceLength, totalLength - pieceStart);
                    int n;
                    for (int done = 0; done < size; done += n)
                    {
                        n = Math.min(chunk, size - done);
                        read(pieceStart + done, view, n, open);
                        view.limit(n).position(0);
                        sha1.update(view);
                    }
                    sha1.digest(hashes, piece * InfoHash.LENGTH, InfoHash.LENGTH);
                    bytesHashed.addAndGet(size);
                }
            }
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            failed = true;
            throw ex;
        }
        finally
        {
            open.close();
        }
    }

    /** Fills {@code view[0, length)} with the stream bytes from {@code streamStart}, file by file. */
    private void read(final long streamStart, final ByteBuffer view, final int length, final OpenFile open)
        throws IOException
    {
        layout.forEachExtent(streamStart, length, PieceHasher::readExtent, open, view);
    }

    private static int readExtent(final OpenFile open, final ByteBuffer view, final int file, final long fileOffset,
        final int length, final int spanOffset) throws IOException
    {
        final FileChannel channel = open.channel(file);
        view.limit(spanOffset + length).position(spanOffset);
        long filePosition = fileOffset;
        while (view.hasRemaining())
        {
            final int r = channel.read(view, filePosition);
            if (r < 0)
            {
                final SourceFiles.Source source = open.source();
                throw new IOException(source.file() + ": file shrank while hashing (was " + source.length() +
                    " bytes)");
            }
            filePosition += r;
        }
        return length;
    }

    int pieceCount()
    {
        return pieceCount;
    }

    /** A worker keeps one file open at a time (batches move forward through the files), so open files stay few. */
    private static final class OpenFile
    {
        private final List<SourceFiles.Source> files;
        private int index = -1;
        private FileChannel channel;

        OpenFile(final List<SourceFiles.Source> files)
        {
            this.files = files;
        }

        FileChannel channel(final int fileIndex) throws IOException
        {
            if (fileIndex != index)
            {
                close();
                channel = FileChannel.open(files.get(fileIndex).file(), StandardOpenOption.READ);
                index = fileIndex;
            }
            return channel;
        }

        SourceFiles.Source source()
        {
            return files.get(index);
        }

        void close() throws IOException
        {
            if (channel != null)
            {
                final FileChannel c = channel;
                channel = null;
                index = -1;
                c.close();
            }
        }
    }
}
