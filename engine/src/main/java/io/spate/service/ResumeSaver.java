package io.spate.service;

import io.spate.agent.TorrentHandle;
import io.spate.metainfo.Metainfo;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes fast resume data: the verified set first (read on the torrent's agent), then the files' stamps, so the
 * stamps are never older than the set (a piece verified after the set was taken only makes the stamps differ, and a
 * mismatch costs a full check, never a wrong piece). Runs on the daemon's resume thread, and at a torrent's stop.
 */
final class ResumeSaver
{
    private static final long VERIFIED_TIMEOUT_MS = 10_000;

    private final StateDir state;
    private final Consumer<String> warnings;
    /**
     * Set as the daemon shuts down: saves queued on the resume thread are then skipped, since the shutdown writes
     * every running torrent's changed resume data itself, on several threads ({@link TorrentStops}). Queued one at a
     * time behind a full check of 10,000 torrents, they held a shutdown for 27-31 s (perf-results/service/seedbox.md).
     */
    private volatile boolean closing;

    ResumeSaver(final StateDir state, final Consumer<String> warnings)
    {
        this.state = state;
        this.warnings = warnings;
    }

    /** From now on the resume thread's saves are skipped: the shutdown writes what changed ({@link #saveAtStop}). */
    void closing()
    {
        closing = true;
    }

    /** Writes the resume data of each running torrent whose verified bytes changed since its last write. */
    void saveChanged(final List<ManagedTorrent> torrents)
    {
        for (final ManagedTorrent torrent : torrents)
        {
            if (closing)
            {
                return;
            }
            final TorrentHandle handle = torrent.handle();
            if (handle != null && handle.stats().verifiedBytes.get() != torrent.savedVerifiedBytes)
            {
                save(torrent);
            }
        }
    }

    /** Writes a running torrent's resume data now. */
    void save(final ManagedTorrent torrent)
    {
        final TorrentHandle handle = torrent.handle();
        if (handle == null || closing)
        {
            return;
        }
        try
        {
            final long verifiedBytes = handle.stats().verifiedBytes.get();
            final BitSet verified = handle.verifiedPieces().get(VERIFIED_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (save(torrent, verified))
            {
                torrent.savedVerifiedBytes = verifiedBytes; // the count read before the set: never more than it
            }
        }
        catch (final Exception ex)
        {
            warnings.accept(torrent.infoHash() + ": resume data not written: " + ex);
        }
    }

    /**
     * A stopped torrent's last verified set: written unless the resume data on disk already holds it. Verified pieces
     * are only ever added, so equal bytes mean the same set; a seed's set never changes, and rewriting 10,000 unchanged
     * files (two fsyncs each) made a daemon's stop take 20 s per 1,000 torrents (perf-results/service/seedbox.md).
     * Not rewriting also keeps the stamps the set was verified against: a file changed behind the daemon's back is
     * still caught at the next start.
     */
    void saveAtStop(final ManagedTorrent torrent, final BitSet verified)
    {
        if (torrent.savedVerifiedBytes >= 0 &&
            torrent.savedVerifiedBytes == ManagedTorrent.verifiedBytes(torrent.metainfo(), verified))
        {
            torrent.knownVerified(verified);
            return;
        }
        save(torrent, verified);
    }

    /** Writes resume data for a verified set taken before this call; false (and a warning) when it could not. */
    boolean save(final ManagedTorrent torrent, final BitSet verified)
    {
        final Metainfo metainfo = torrent.metainfo();
        try
        {
            state.saveResume(new ResumeData(torrent.infoHash(), metainfo.pieceCount(), verified,
                TorrentFiles.stamps(metainfo, torrent.entry().dataDir())));
            torrent.knownVerified(verified);
            torrent.savedVerifiedBytes = ManagedTorrent.verifiedBytes(metainfo, verified);
            return true;
        }
        catch (final Exception ex)
        {
            warnings.accept(torrent.infoHash() + ": resume data not written: " + ex);
            return false;
        }
    }
}
