package io.spate.service;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.PieceSha1;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.storage.TorrentStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Decides whether a torrent's resume data can be trusted: every file must still have the size and modification time
 * recorded with the verified set, and a few verified pieces picked at random must still match their SHA-1 (a file
 * rewritten within the clock's resolution, or by a tool that restores mtimes, is caught with good odds). Any
 * mismatch means the torrent is checked in full.
 */
public final class ResumeCheck
{
    /** Pieces hashed to confirm resume data: enough to catch a swapped file, few enough to cost nothing at start. */
    public static final int SPOT_CHECKS = 4;
    private static final int CHUNK = 64 * 1024;
    /** Each start thread's digest and read buffer: 10,000 fresh 64 KiB buffers were 2 % of a restart's start CPU. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch
    {
        final MessageDigest md = PieceSha1.newDigest();
        final byte[] digest = new byte[20];
        final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK); // direct: DiskHandler says why
    }

    /**
     * @param verified    the pieces to trust, or null when the torrent must be checked in full.
     * @param spotChecked pieces hashed to confirm them.
     * @param reason      why the resume data was refused, or null.
     */
    public record Outcome(BitSet verified, int spotChecked, String reason)
    {
    }

    private ResumeCheck()
    {
    }

    /**
     * The first half of the check, before the files are opened: the resume data is this torrent's and every file has
     * the size and modification time recorded with it.
     *
     * @return the pieces to confirm by {@link #spotCheck}, or an outcome with a null set and the reason.
     */
    public static Outcome checkFiles(final Metainfo metainfo, final Path dataDir, final ResumeData resume,
        final FilePriorities priorities) throws IOException
    {
        if (resume == null)
        {
            return new Outcome(null, 0, "no resume data");
        }
        if (!resume.infoHash().equals(metainfo.infoHashHex()) || resume.pieceCount() != metainfo.pieceCount())
        {
            return new Outcome(null, 0, "resume data of another torrent");
        }
        final List<ResumeData.FileStamp> now = TorrentFiles.stamps(metainfo, dataDir);
        if (!now.equals(resume.files()))
        {
            return new Outcome(null, 0, "files changed since the resume data was written");
        }
        // the files are then opened for writing, which creates and sizes them: only one missing because it is
        // skipped (its bytes are in the part file) may differ from the torrent
        int stamp = 0;
        for (int file = 0; file < metainfo.files().size(); file++)
        {
            final FileEntry entry = metainfo.files().get(file);
            if (entry.padding())
            {
                continue;
            }
            final ResumeData.FileStamp found = now.get(stamp++);
            final boolean skippedAndAbsent = found.size() < 0 && priorities != null && priorities.skipped(file);
            if (found.size() != entry.length() && !skippedAndAbsent)
            {
                return new Outcome(null, 0, found.path() + ": " + (found.size() < 0 ? "missing" : "is " +
                    found.size() + " bytes") + ", the torrent says " + entry.length());
            }
        }
        return new Outcome(resume.verified(), 0, null);
    }

    /**
     * The second half, on the torrent's files (opened once for this and the engine, which takes them on): a few of
     * the verified pieces, picked at random, hashed.
     *
     * @param verified what {@link #checkFiles} returned.
     */
    public static Outcome spotCheck(final TorrentStorage storage, final BitSet verified, final Random random)
    {
        final int checks = Math.min(SPOT_CHECKS, verified.cardinality());
        if (checks == 0)
        {
            return new Outcome(verified, 0, null);
        }
        try
        {
            final Scratch scratch = SCRATCH.get();
            final int[] pieces = verified.stream().toArray();
            for (int i = 0; i < checks; i++)
            {
                // a partial shuffle: distinct pieces, uniformly
                final int j = i + random.nextInt(pieces.length - i);
                final int piece = pieces[j];
                pieces[j] = pieces[i];
                pieces[i] = piece;
                if (!storage.verifyPieceByReading(piece, scratch.md, scratch.digest, scratch.chunk))
                {
                    return new Outcome(null, i + 1, "piece " + piece + " fails its SHA-1 check");
                }
            }
        }
        catch (final RuntimeException ex)
        {
            return new Outcome(null, 0, ex.getMessage());
        }
        return new Outcome(verified, checks, null);
    }
}
