package io.spate.service;

import io.spate.agent.TorrentHandle;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Stops many running torrents together, as the daemon shuts down: every torrent's verified set and then its removal
 * are asked of its agent for all of them before any is waited for (an agent takes the commands in that order, so
 * each set is read before its torrent goes), then each is awaited and its resume data written when it changed, by
 * several writers at once (each write waits for two fsyncs, which the file system commits together). Stopped one at
 * a time, each torrent waited for two round trips to its agent: 26-42 s for 10,000 seeds
 * (perf-results/service/seedbox.md).
 */
final class TorrentStops
{
    /** A torrent taken off the daemon's books (its announcer and DHT rounds ended), with the handle still running. */
    record Detached(ManagedTorrent torrent, TorrentHandle handle)
    {
    }

    /** Resume data writers: the writes wait on the disk, not the CPU. */
    private static final int WRITERS = 8;
    private static final long WRITES_TIMEOUT_MS = 120_000;

    private TorrentStops()
    {
    }

    /**
     * @param timeoutMs how long the sets and removals of all the torrents are waited for, together (they were all
     *                  asked for at once: an agent that stopped answering must not cost this bound once per
     *                  torrent); a torrent not stopped by then is named in a warning and its resume data left as it was.
     */
    static void stopAll(final List<Detached> torrents, final ResumeSaver saver, final Consumer<String> warnings,
        final long timeoutMs)
    {
        final List<CompletableFuture<BitSet>> verified = new ArrayList<>(torrents.size());
        for (final Detached detached : torrents)
        {
            verified.add(detached.handle().verifiedPieces());
        }
        final List<CompletableFuture<Void>> removed = new ArrayList<>(torrents.size());
        for (final Detached detached : torrents)
        {
            removed.add(detached.handle().remove());
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, ServiceThreads.named("spate-stop"));
        try
        {
            for (int i = 0; i < torrents.size(); i++)
            {
                final ManagedTorrent torrent = torrents.get(i).torrent();
                try
                {
                    final BitSet set = verified.get(i).get(leftNs(deadlineNs), TimeUnit.NANOSECONDS);
                    removed.get(i).get(leftNs(deadlineNs), TimeUnit.NANOSECONDS);
                    writers.execute(() -> saver.saveAtStop(torrent, set)); // warns itself when it cannot write
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    warnings.accept(torrent.infoHash() + ": stop: interrupted");
                    break;
                }
                catch (final TimeoutException ex)
                {
                    warnings.accept(torrent.infoHash() + ": stop: its network agent did not answer within " +
                        timeoutMs + " ms; its resume data is left as it was");
                }
                catch (final Exception ex)
                {
                    warnings.accept(torrent.infoHash() + ": stop: " + (ex.getMessage() == null ? ex.toString() :
                        ex.getMessage()));
                }
            }
        }
        finally
        {
            writers.shutdown();
            awaitWrites(writers, warnings);
        }
    }

    private static long leftNs(final long deadlineNs)
    {
        return Math.max(0, deadlineNs - System.nanoTime());
    }

    /** Waits for the writes under way and queued: each is a small file, so the bound only catches a hung disk. */
    private static void awaitWrites(final ExecutorService writers, final Consumer<String> warnings)
    {
        try
        {
            if (!writers.awaitTermination(WRITES_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                warnings.accept("resume data still being written after " + WRITES_TIMEOUT_MS / 1000 + " s: the " +
                    "torrents not written by then are checked in full at the next start");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
