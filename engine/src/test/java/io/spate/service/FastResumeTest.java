package io.spate.service;

import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restarts with fast resume: files that still match come back without a re-hash (only the spot checks, counted);
 * a changed file, a corrupt piece behind a restored mtime, or unreadable resume data force a full check.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FastResumeTest
{
    private static final int PIECES = 40;
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;

    private Path state()
    {
        return tmp.resolve("state");
    }

    private Path data()
    {
        return tmp.resolve("data");
    }

    /** Adds a complete 40-piece torrent to a daemon, waits until it seeds, stops the daemon; returns the hash. */
    private String seedOnce() throws Exception
    {
        final byte[] torrent = TestDaemon.torrentOf(data().resolve("f.bin"), PIECES * PIECE, 7, null);
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = d.daemon.add(new AddRequest(torrent, null, null, data().toString(), false));
            assertTrue(TestDaemon.await(() -> t.state() == ManagedTorrent.State.SEEDING, 30), t.state().name());
            return t.infoHash();
        }
    }

    private static ManagedTorrent awaitStarted(final TestDaemon d, final String hash) throws Exception
    {
        final ManagedTorrent t = d.daemon.get(hash);
        assertTrue(TestDaemon.await(() -> t.handle() != null || t.error() != null, 30), t.state().name());
        return t;
    }

    @Test
    void aSeedComesBackWithOnlyItsSpotChecksHashed() throws Exception
    {
        final String hash = seedOnce();
        for (int restart = 0; restart < 2; restart++)
        {
            try (TestDaemon d = TestDaemon.start(state()))
            {
                final ManagedTorrent t = awaitStarted(d, hash);
                assertEquals(ManagedTorrent.State.SEEDING, t.state());
                assertEquals("fast resume", t.resumeNote());
                assertEquals(ResumeCheck.SPOT_CHECKS, t.rehashedPieces(), "0 pieces beyond the spot checks");
                assertEquals(ResumeCheck.SPOT_CHECKS, t.spotCheckedPieces());
                final String stats = d.get("/api/stats").body();
                assertTrue(stats.contains("\"rehashed_pieces\":" + ResumeCheck.SPOT_CHECKS), stats);
            }
        }
    }

    @Test
    void aChangedFileForcesAFullCheck() throws Exception
    {
        final String hash = seedOnce();
        try (RandomAccessFile file = new RandomAccessFile(data().resolve("f.bin").toFile(), "rw"))
        {
            file.seek(5L * PIECE + 100);
            file.write(~file.read());
        }
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = awaitStarted(d, hash);
            assertTrue(t.resumeNote().startsWith("full check: files changed"), t.resumeNote());
            assertEquals(PIECES, t.rehashedPieces());
            assertEquals(ManagedTorrent.State.DOWNLOADING, t.state());
            assertEquals((PIECES - 1L) * PIECE, t.verifiedBytes(), "the changed piece is missing, no other");
        }
    }

    @Test
    void aCorruptPieceBehindARestoredMtimeIsCaughtBySpotChecks() throws Exception
    {
        // 4 pieces: the spot checks cover every one, so the corruption is found whichever piece it is in
        final byte[] torrent = TestDaemon.torrentOf(data().resolve("g.bin"), 4 * PIECE, 8, null);
        final String hash = Metainfo.parse(torrent).infoHashHex();
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = d.daemon.add(new AddRequest(torrent, null, null, data().toString(), false));
            assertTrue(TestDaemon.await(() -> t.state() == ManagedTorrent.State.SEEDING, 30));
        }
        final Path file = data().resolve("g.bin");
        final FileTime mtime = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(2L * PIECE + 7);
            raf.write(~raf.read());
        }
        Files.setLastModifiedTime(file, mtime);
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = awaitStarted(d, hash);
            assertTrue(t.resumeNote().contains("fails its SHA-1 check"), t.resumeNote());
            assertEquals(3L * PIECE, t.verifiedBytes());
        }
    }

    @Test
    void unreadableResumeDataAndLeftoverTempFilesLoad() throws Exception
    {
        final String hash = seedOnce();
        final Path resume = state().resolve("resume").resolve(hash + ".resume");
        Files.writeString(resume, "{\"version\":1,\"info_ha"); // as if cut short (AtomicFiles never leaves this)
        Files.writeString(state().resolve("resume").resolve(hash + ".resume.tmp"), "partial");
        Files.writeString(state().resolve("torrents").resolve(hash + ".json.tmp"), "partial");
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = awaitStarted(d, hash);
            assertEquals("full check: no resume data", t.resumeNote());
            assertTrue(TestDaemon.await(() -> t.state() == ManagedTorrent.State.SEEDING, 30));
        }
        try (TestDaemon d = TestDaemon.start(state()))
        {
            assertEquals("fast resume", awaitStarted(d, hash).resumeNote(), "the full check wrote new resume data");
        }
    }

    @Test
    void aPartialDownloadResumesWithItsVerifiedPieces() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        final byte[] torrent = TestDaemon.torrentOf(seedDir.resolve("h.bin"), PIECES * PIECE, 9, null);
        // the leecher holds the first half only: the rest of its file is zeros
        Files.createDirectories(data());
        try (RandomAccessFile out = new RandomAccessFile(data().resolve("h.bin").toFile(), "rw"))
        {
            out.setLength((long)PIECES * PIECE);
            out.write(Files.readAllBytes(seedDir.resolve("h.bin")), 0, PIECES / 2 * PIECE);
        }
        final String hash;
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = d.daemon.add(new AddRequest(torrent, null, null, data().toString(), false));
            hash = t.infoHash();
            assertTrue(TestDaemon.await(() -> t.handle() != null, 30));
            assertEquals(PIECES / 2L * PIECE, t.verifiedBytes());
        }
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = awaitStarted(d, hash);
            assertEquals("fast resume", t.resumeNote());
            assertEquals(PIECES / 2L * PIECE, t.verifiedBytes());
            assertEquals(ResumeCheck.SPOT_CHECKS, t.rehashedPieces());
            assertEquals(0.5, d.daemon.snapshot().get(0).verifiedBytes() / (double)(PIECES * PIECE));
        }
    }

    @Test
    void aPausedTorrentStaysPausedAcrossARestart() throws Exception
    {
        final String hash = seedOnce();
        try (TestDaemon d = TestDaemon.start(state()))
        {
            awaitStarted(d, hash);
            d.daemon.pause(hash);
        }
        try (TestDaemon d = TestDaemon.start(state()))
        {
            final ManagedTorrent t = d.daemon.get(hash);
            Thread.sleep(300);
            assertEquals(ManagedTorrent.State.PAUSED, t.state());
            assertEquals((long)PIECES * PIECE, t.verifiedBytes(), "progress from its resume data");
            d.daemon.resume(hash);
            assertEquals("fast resume", awaitStarted(d, hash).resumeNote());
        }
    }
}
