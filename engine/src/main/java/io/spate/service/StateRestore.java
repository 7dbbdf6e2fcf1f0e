package io.spate.service;

import io.spate.metainfo.Metainfo;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The torrents a state dir holds, as the daemon brings them back at start; what cannot be read is skipped, named.
 * Each is handed on as soon as it is read, so the daemon starts the first torrents while it still reads the rest (10,000
 * torrents took seconds to read before the first could start: perf-results/service/seedbox.md), and its resume data,
 * read here once, goes with it to its first start.
 */
final class StateRestore
{
    private StateRestore()
    {
    }

    static void torrents(final StateDir state, final Consumer<String> warnings, final Consumer<ManagedTorrent> sink)
        throws IOException
    {
        for (final TorrentEntry entry : state.loadEntries(warnings))
        {
            final Metainfo metainfo;
            try
            {
                final byte[] bytes = state.torrentBytes(entry.infoHash());
                metainfo = bytes == null ? null : Metainfo.parse(bytes);
            }
            catch (final IOException | RuntimeException ex)
            {
                warnings.accept(entry.infoHash() + ".torrent: " + ex.getMessage());
                continue;
            }
            if (metainfo == null && entry.magnet() == null)
            {
                warnings.accept(entry.infoHash() + ": neither a .torrent nor a magnet link; skipped");
                continue;
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
}
