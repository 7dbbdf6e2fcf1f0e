package io.spate.service;

import io.spate.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The torrents a state dir holds, as the daemon brings them back at start; what cannot be read is skipped, named.
 * Each is handed on as soon as it is read, so the daemon starts the first torrents while it still reads the rest, and
 * its resume data, read here once, goes with it to its first start. Torrents are read on one thread per core (decoding
 * three files each: 10,000 took seconds on one thread before the last could start, perf-results/service/seedbox.md),
 * so the sink is called from several threads, in no particular order; this returns once every torrent was handed on.
 */
final class StateRestore
{
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private StateRestore()
    {
    }

    static void torrents(final StateDir state, final Consumer<String> warnings, final Consumer<ManagedTorrent> sink)
        throws IOException
    {
        final List<Path> files = state.entryFiles();
        final Consumer<String> oneAtATime = message ->
        {
            synchronized (warnings)
            {
                warnings.accept(message);
            }
        };
        final ExecutorService readers = Executors.newFixedThreadPool(THREADS, ServiceThreads.named("spate-restore"));
        try
        {
            for (final Path file : files)
            {
                readers.execute(() -> restore(state, file, oneAtATime, sink));
            }
            readers.shutdown();
            while (!readers.awaitTermination(1, TimeUnit.SECONDS))
            {
                // each file is read in milliseconds; a slow disk only makes this longer
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + files.size() + " torrents of " + state.root(), ex);
        }
        finally
        {
            readers.shutdownNow();
        }
    }

    private static void restore(final StateDir state, final Path file, final Consumer<String> warnings,
        final Consumer<ManagedTorrent> sink)
    {
        final TorrentEntry entry;
        final Metainfo metainfo;
        try
        {
            entry = state.loadEntry(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            warnings.accept(file + ": " + ex.getMessage());
            return;
        }
        try
        {
            final byte[] bytes = state.torrentBytes(entry.infoHash());
            metainfo = bytes == null ? null : Metainfo.parse(bytes);
        }
        catch (final IOException | RuntimeException ex)
        {
            warnings.accept(entry.infoHash() + ".torrent: " + ex.getMessage());
            return;
        }
        if (metainfo == null && entry.magnet() == null)
        {
            warnings.accept(entry.infoHash() + ": neither a .torrent nor a magnet link; skipped");
            return;
        }
        final ManagedTorrent torrent = new ManagedTorrent(entry, metainfo);
        torrent.resumed(0, 0, "restart");
        final ResumeData resume = metainfo == null ? null : state.loadResume(entry.infoHash());
        if (resume != null && resume.pieceCount() == metainfo.pieceCount())
        {
            torrent.knownVerified(resume.verified()); // what a paused torrent shows until it runs
            torrent.restoredResume(resume);
        }
        sink.accept(torrent);
    }
}
