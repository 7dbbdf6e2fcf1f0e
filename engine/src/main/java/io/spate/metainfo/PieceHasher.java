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
 * batch of whole consecutive pieces (at least {@link #MIN_BATCH_BYTES}), reads it with positional
 * {@link FileChannel} reads into its own direct buffer (one read per file the batch touches), and hashes each piece
 * with its own {@link MessageDigest}. Threads share nothing but the batch counter, the progress counter and disjoint
 * 20-byte slots of the result. Progress is reported on the calling thread.
 */
final class PieceHasher
{
    /** Smallest read a worker makes: large sequential reads keep the disk and the page cache streaming. */
    static final int MIN_BATCH_BYTES = 8 << 20;
    /** How often the calling thread reports progress while the workers hash. */
    static final long PROGRESS_INTERVAL_MS = 100;

    private final List<SourceFiles.Source> files;
    private final long[] starts;
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
        this.starts = new long[files.size()];
        long offset = 0;
        for (int i = 0; i < files.size(); i++)
        {
            starts[i] = offset;
            offset += files.get(i).length();
        }
        this.totalLength = offset;
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
        final MessageDigest sha1 = InfoHash.newSha1();
        // direct: FileChannel reads straight into it (a heap buffer costs a second full copy through a temporary
        // direct one); the digest then takes it in 4 KiB chunks that stay in L1
        final ByteBuffer view = ByteBuffer.allocateDirect((int)Math.min((long)piecesPerBatch * pieceLength,
            totalLength));
        final OpenFile open = new OpenFile();
        try
        {
            int batch;
            while (!failed && (batch = nextBatch.getAndIncrement()) < batchCount)
            {
                final int firstPiece = batch * piecesPerBatch;
                final int lastPiece = Math.min(pieceCount, firstPiece + piecesPerBatch);
                final long streamStart = (long)firstPiece * pieceLength;
                final int length = (int)(Math.min(totalLength, (long)lastPiece * pieceLength) - streamStart);
                read(streamStart, view, length, open);
                for (int piece = firstPiece; piece < lastPiece; piece++)
                {
                    final int from = (piece - firstPiece) * pieceLength;
                    final int size = Math.min(pieceLength, length - from);
                    view.limit(from + size).position(from);
                    sha1.update(view);
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
        int file = fileAt(streamStart);
        long position = streamStart;
        int done = 0;
        while (done < length)
        {
            final SourceFiles.Source source = files.get(file);
            final long fileEnd = starts[file] + source.length();
            if (position < fileEnd)
            {
                final int n = (int)Math.min(length - done, fileEnd - position);
                final FileChannel channel = open.channel(file, source);
                view.limit(done + n).position(done);
                long filePosition = position - starts[file];
                while (view.hasRemaining())
                {
                    final int r = channel.read(view, filePosition);
                    if (r < 0)
                    {
                        throw new IOException(source.file() + ": file shrank while hashing (was " +
                            source.length() + " bytes)");
                    }
                    filePosition += r;
                }
                done += n;
                position += n;
            }
            file++;
        }
    }

    private int fileAt(final long offset)
    {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    int pieceCount()
    {
        return pieceCount;
    }

    /** A worker keeps one file open at a time (batches move forward through the files), so open files stay few. */
    private static final class OpenFile
    {
        private int index = -1;
        private FileChannel channel;

        FileChannel channel(final int fileIndex, final SourceFiles.Source source) throws IOException
        {
            if (fileIndex != index)
            {
                close();
                channel = FileChannel.open(source.file(), StandardOpenOption.READ);
                index = fileIndex;
            }
            return channel;
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
