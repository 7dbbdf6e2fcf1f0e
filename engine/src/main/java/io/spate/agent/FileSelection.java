package io.spate.agent;

import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.picker.PiecePicker;

/**
 * A torrent's wanted set on its agent: the files' priorities, turned into the picker's piece priorities, and the
 * figures progress is measured in (libtorrent's total_wanted and total_wanted_done): bytes of wanted files, and of
 * those, the bytes in verified pieces. Owned by the session's agent thread; the figures go out through
 * {@link TorrentStats}.
 */
final class FileSelection
{
    private final Metainfo metainfo;
    private FilePriorities priorities;
    /** Null while every file is wanted (every byte of a piece counts). */
    private FilePriorities partial;

    FileSelection(final Metainfo metainfo, final FilePriorities priorities)
    {
        this.metainfo = metainfo;
        this.priorities = priorities != null ? priorities : FilePriorities.all(metainfo.files().size());
        this.partial = this.priorities.anySkipped(metainfo) ? this.priorities : null;
    }

    FilePriorities priorities()
    {
        return priorities;
    }

    /** Applies new priorities to the picker and recounts the wanted figures from the pieces it has. */
    void apply(final FilePriorities next, final PiecePicker picker, final TorrentStats stats)
    {
        priorities = next;
        partial = next.anySkipped(metainfo) ? next : null;
        picker.priorities(next.piecePriorities(metainfo));
        count(picker, stats);
    }

    /**
     * At the start: gives the picker the piece priorities (only when some file is not at the default: a picker left
     * alone needs no array of them) and counts the figures.
     */
    void start(final PiecePicker picker, final TorrentStats stats)
    {
        if (!priorities.equals(FilePriorities.all(metainfo.files().size())))
        {
            picker.priorities(priorities.piecePriorities(metainfo));
        }
        count(picker, stats);
    }

    private void count(final PiecePicker picker, final TorrentStats stats)
    {
        long done = 0;
        for (int piece = 0; piece < metainfo.pieceCount(); piece++)
        {
            if (picker.have(piece))
            {
                done += wantedBytesIn(piece);
            }
        }
        stats.wantedBytes.setRelease(partial == null ? metainfo.totalLength() : partial.wantedLength(metainfo));
        stats.wantedVerifiedBytes.setRelease(done);
    }

    /** A piece was verified: its wanted bytes count. */
    void pieceVerified(final int piece, final TorrentStats stats)
    {
        stats.wantedVerifiedBytes.setRelease(stats.wantedVerifiedBytes.getPlain() + wantedBytesIn(piece));
    }

    private long wantedBytesIn(final int piece)
    {
        return partial == null ? metainfo.pieceSize(piece) : partial.wantedBytesIn(metainfo, piece);
    }
}
