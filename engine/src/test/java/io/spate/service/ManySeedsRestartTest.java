package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon seeding many torrents (the seedbox case, small): restarts with fast resume hash only the spot checks,
 * counted in /api/stats; stopping seeds leaves their resume data as it was (nothing changed, nothing rewritten); and a
 * restart after every file's mtime moved checks every torrent in full, then writes resume data the next start trusts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManySeedsRestartTest
{
    private static final int TORRENTS = 24;
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;

    @Test
    void seedsRestartFromResumeDataAndTheirStopRewritesNothing() throws Exception
    {
        final Path state = tmp.resolve("state");
        final Path data = tmp.resolve("data");
        final List<String> hashes = new ArrayList<>();
        int pieces = 0;
        int spotChecks = 0;
        try (TestDaemon d = TestDaemon.start(state))
        {
            for (int i = 0; i < TORRENTS; i++)
            {
                final byte[] torrent = TestDaemon.torrentOf(data.resolve("f" + i + ".bin"), (2 + i % 5) * PIECE, i,
                    null);
                pieces += Metainfo.parse(torrent).pieceCount();
                spotChecks += Math.min(ResumeCheck.SPOT_CHECKS, Metainfo.parse(torrent).pieceCount());
                hashes.add(d.daemon.add(new AddRequest(torrent, null, null, data.toString(), false)).infoHash());
            }
            assertTrue(TestDaemon.await(() -> allSeeding(d), 60));
        }

        final List<Object> keys = resumeFileKeys(state, hashes);
        try (TestDaemon d = TestDaemon.start(state))
        {
            assertTrue(TestDaemon.await(() -> allSeeding(d), 60));
            final JsonNode stats = stats(d);
            assertEquals(spotChecks, stats.path("spot_checked_pieces").asInt());
            assertEquals(stats.path("spot_checked_pieces").asInt(), stats.path("rehashed_pieces").asInt(),
                "0 pieces re-hashed beyond the spot checks");
            for (final String hash : hashes)
            {
                assertEquals("fast resume", d.daemon.get(hash).resumeNote());
            }
            assertEquals(hashes, d.daemon.snapshot().stream().map(ManagedTorrent::infoHash).toList(),
                "after a restart the torrents are listed in the order they were added");
        }
        assertEquals(keys, resumeFileKeys(state, hashes), "a seed's stop left its resume data as it was");

        try (var files = Files.list(data))
        {
            for (final Path file : files.toList())
            {
                Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
            }
        }
        try (TestDaemon d = TestDaemon.start(state))
        {
            assertTrue(TestDaemon.await(() -> allSeeding(d), 60));
            final JsonNode stats = stats(d);
            assertEquals(0, stats.path("spot_checked_pieces").asInt());
            assertEquals(pieces, stats.path("rehashed_pieces").asInt(), "every piece of every torrent re-hashed");
        }
        try (TestDaemon d = TestDaemon.start(state))
        {
            assertTrue(TestDaemon.await(() -> allSeeding(d), 60));
            assertEquals(stats(d).path("spot_checked_pieces").asInt(), stats(d).path("rehashed_pieces").asInt(),
                "the full check's resume data is trusted at the next start");
        }
    }

    private static boolean allSeeding(final TestDaemon d)
    {
        return d.daemon.snapshot().stream().filter(t -> t.state() == ManagedTorrent.State.SEEDING).count() == TORRENTS;
    }

    private static JsonNode stats(final TestDaemon d) throws Exception
    {
        return ServiceJson.MAPPER.readTree(d.get("/api/stats").body());
    }

    /** Each resume file's inode and mtime: a rewrite renames a new file over it, so both change. */
    private static List<Object> resumeFileKeys(final Path state, final List<String> hashes) throws Exception
    {
        final List<Object> keys = new ArrayList<>();
        for (final String hash : hashes)
        {
            final Path file = state.resolve("resume").resolve(hash + ".resume");
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            keys.add(List.of(attributes.fileKey(), attributes.lastModifiedTime()));
        }
        return keys;
    }
}
