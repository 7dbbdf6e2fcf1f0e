package io.spate.service;

import io.spate.metainfo.InfoHash;
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
        final MessageDigest md = InfoHash.newSha1();
        final byte[] digest = new byte[20];
        final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
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

    public static Outcome check(final Metainfo metainfo, final Path dataDir, final ResumeData resume,
        final Random random) throws IOException
    {
        return check(metainfo, dataDir, resume, random, null);
    }

    /** As {@link #check(Metainfo, Path, ResumeData, Random)}; skipped files are read through the part file. */
    public static Outcome check(final Metainfo metainfo, final Path dataDir, final ResumeData resume,
        final Random random, final FilePriorities priorities) throws IOException
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
        final BitSet verified = resume.verified();
        final int checks = Math.min(SPOT_CHECKS, verified.cardinality());
        if (checks == 0)
        {
            return new Outcome(verified, 0, null);
        }
        try (TorrentStorage storage = TorrentStorage.open(metainfo, dataDir, false, priorities))
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
