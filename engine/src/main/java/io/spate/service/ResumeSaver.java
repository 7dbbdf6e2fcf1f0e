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

    ResumeSaver(final StateDir state, final Consumer<String> warnings)
    {
        this.state = state;
        this.warnings = warnings;
    }

    /** Writes the resume data of each running torrent whose verified bytes changed since its last write. */
    void saveChanged(final List<ManagedTorrent> torrents)
    {
        for (final ManagedTorrent torrent : torrents)
        {
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
        if (handle == null)
        {
            return;
        }
        try
        {
            final long verifiedBytes = handle.stats().verifiedBytes.get();
            final BitSet verified = handle.verifiedPieces().get(VERIFIED_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            save(torrent, verified);
            torrent.savedVerifiedBytes = verifiedBytes;
        }
        catch (final Exception ex)
        {
            warnings.accept(torrent.infoHash() + ": resume data not written: " + ex);
        }
    }

    /** Writes resume data for a verified set taken before this call (a stopped torrent's last one). */
    void save(final ManagedTorrent torrent, final BitSet verified)
    {
        final Metainfo metainfo = torrent.metainfo();
        try
        {
            state.saveResume(new ResumeData(torrent.infoHash(), metainfo.pieceCount(), verified,
                TorrentFiles.stamps(metainfo, torrent.entry().dataDir())));
            torrent.knownVerified(verified);
        }
        catch (final Exception ex)
        {
            warnings.accept(torrent.infoHash() + ": resume data not written: " + ex);
        }
    }
}
