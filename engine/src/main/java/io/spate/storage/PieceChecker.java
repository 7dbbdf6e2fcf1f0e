package io.spate.storage;

import io.spate.metainfo.PieceSha1;

import java.security.MessageDigest;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks the data already on disk against the piece hashes, on all cores, so a seed serves at once and an
 * interrupted download resumes where it stopped. Pieces that lie in files this open created are skipped: they hold
 * nothing yet. Control path: runs once before the torrent joins its network agent.
 */
public final class PieceChecker
{
    private PieceChecker()
    {
    }

    /**
     * @param storage  the opened storage.
     * @param threads  hashing threads (usually the number of cores).
     * @param progress bytes examined so far, updated as pieces finish (for a progress line); may be null.
     * @return the set of pieces whose data matches their hash.
     */
    public static BitSet check(final TorrentStorage storage, final int threads, final AtomicLong progress)
        throws InterruptedException
    {
        final int pieceCount = storage.metainfo().pieceCount();
        final BitSet[] partial = new BitSet[threads];
        final AtomicInteger next = new AtomicInteger();
        final Thread[] workers = new Thread[threads];
        final RuntimeException[] failure = new RuntimeException[1];
        for (int t = 0; t < threads; t++)
        {
            final BitSet mine = new BitSet(pieceCount);
            partial[t] = mine;
            workers[t] = new Thread(() ->
            {
                final MessageDigest md = PieceSha1.newDigest();
                final byte[] scratch = new byte[20];
                try
                {
                    int piece;
                    while ((piece = next.getAndIncrement()) < pieceCount)
                    {
                        if (storage.mayHoldData(piece) && storage.verifyPiece(piece, md, scratch))
                        {
                            mine.set(piece);
                        }
                        if (progress != null)
                        {
                            progress.addAndGet(storage.metainfo().pieceSize(piece));
                        }
                    }
                }
                catch (final RuntimeException ex)
                {
                    synchronized (failure)
                    {
                        failure[0] = ex;
                    }
                    next.set(pieceCount);
                }
            }, "spate-check-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        try
        {
            for (final Thread worker : workers)
            {
                worker.join();
            }
        }
        catch (final InterruptedException ex)
        {
            // the caller closes the storage next: no worker may still read its mappings then (that was a SIGSEGV
            // when a daemon closing interrupted a start mid-check)
            next.set(pieceCount);
            joinAll(workers);
            throw ex;
        }
        synchronized (failure)
        {
            if (failure[0] != null)
            {
                throw failure[0];
            }
        }
        final BitSet verified = new BitSet(pieceCount);
        for (final BitSet bits : partial)
        {
            verified.or(bits);
        }
        return verified;
    }

    /** Waits for each worker to end (each finishes the piece it hashes), keeping the caller's interrupt for after. */
    private static void joinAll(final Thread[] workers)
    {
        boolean interrupted = false;
        for (final Thread worker : workers)
        {
            while (worker.isAlive())
            {
                try
                {
                    worker.join();
                }
                catch (final InterruptedException again)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
