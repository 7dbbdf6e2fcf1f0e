package io.spate.webseed;

import io.spate.testing.HttpFileServer;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.spate.webseed.WebSeedFetchTest.torrent;
import static io.spate.webseed.WebSeedRig.SECOND_NS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Web seeds that answer badly: errors, ignored ranges, short bodies and stalls back the seed off (a delay doubling
 * from 2 s) and five in a row drop it; bad data drops it after three bad pieces; a busy server waits as long as it
 * asks and is never dropped. Each strike is a warning naming the URL and the reason, and the blocks go back to the
 * picker for peers. Driven by {@link WebSeedRig} with a fake clock: no test waits for a back-off to pass.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebSeedFailureTest
{
    private static final long TOTAL = 3L * 1024 * 1024;

    @TempDir
    Path tmp;

    private WebSeedRig rig(final HttpFileServer server) throws Exception
    {
        final Path file = TestData.file(tmp.resolve("www/data.bin"), TOTAL, 9);
        return new WebSeedRig(torrent(file, 64 * 1024, server.url("/data.bin")));
    }

    @Test
    void errorsBackOffDoublingThenFiveInARowDrop() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).status(404, null);
             WebSeedRig rig = rig(server))
        {
            final String url = server.url("/data.bin");
            final long[] delays = {2, 4, 8, 16};
            rig.tick(0);
            for (int strike = 1; strike <= 4; strike++)
            {
                rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "failed every fetch");
                assertEquals(strike, rig.warnings.size(), "fetches in flight together strike once: " + rig.warnings);
                assertTrue(rig.warnings.get(strike - 1).matches("web seed " + url.replace(".", "\\.") +
                    ": HTTP 404 for bytes \\d+-\\d+; next try in " + delays[strike - 1] + " s"),
                    rig.warnings::toString);
                final int asked = server.answered();
                rig.tick((delays[strike - 1] - 1) * SECOND_NS);
                assertEquals(0, rig.webSeeds.fetchesInFlight(), "backing off");
                rig.tick(SECOND_NS);
                assertTrue(rig.webSeeds.fetchesInFlight() > 0, "tried again after " + delays[strike - 1] + " s");
                assertTrue(asked <= server.answered());
            }
            rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "failed every fetch");
            assertTrue(rig.warnings.get(4).matches("web seed " + url.replace(".", "\\.") +
                " dropped: HTTP 404 for bytes \\d+-\\d+ \\(5 failures in a row\\)"), rig.warnings::toString);
            assertEquals(0, rig.webSeeds.usable());
            rig.tick(3600 * SECOND_NS);
            assertEquals(0, rig.webSeeds.fetchesInFlight(), "a dropped seed is never asked again");
            assertEquals(rig.picker.pieceCount() * 4L, rig.picker.unrequestedBlocks(), "every block back for peers");
        }
    }

    @Test
    void aSuccessEndsTheFailuresInARow() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).status(500, null);
             WebSeedRig rig = rig(server))
        {
            rig.tick(0);
            rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "failed every fetch");
            rig.tick(2 * SECOND_NS);
            rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "failed every fetch");
            assertEquals(2, rig.warnings.size(), rig.warnings::toString);
            server.status(0, null);
            rig.tick(4 * SECOND_NS);
            rig.pumpToCompletion();
            assertEquals(1, rig.webSeeds.usable());
            assertArrayEquals(Files.readAllBytes(tmp.resolve("www/data.bin")), rig.received);
        }
    }

    @Test
    void aServerIgnoringRangeIsAFailure() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).ignoreRange(true);
             WebSeedRig rig = rig(server))
        {
            rig.tick(0);
            rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "failed every fetch");
            assertTrue(rig.warned(": HTTP 200 for bytes "), rig.warnings::toString);
            assertTrue(rig.warned(": the server ignores Range; next try in 2 s"), rig.warnings::toString);
            assertEquals(0, rig.blocksDelivered);
        }
    }

    @Test
    void aShortBodyIsAFailure() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).cutShort(true);
             WebSeedRig rig = rig(server))
        {
            rig.tick(0);
            rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "failed every fetch");
            assertEquals(1, rig.warnings.size(), rig.warnings::toString);
            assertEquals(0, rig.piecesFailed, "the blocks that came before the cut were used, and good");
            assertEquals(rig.picker.pieceCount() * 4L, rig.picker.unrequestedBlocks() + rig.blocksDelivered,
                "the others went back for peers");
        }
    }

    @Test
    void aStalledBodyTimesOutAndItsBlocksGoBack() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).stall(true);
             WebSeedRig rig = rig(server))
        {
            rig.tick(0);
            final int fetches = rig.webSeeds.fetchesInFlight();
            rig.pumpUntil(() -> server.answered() >= fetches, "reached the server");
            rig.tick(30 * SECOND_NS);
            assertEquals(fetches, rig.webSeeds.fetchesInFlight(), "30 s without data is not yet a stall");
            rig.tick(SECOND_NS);
            assertEquals(0, rig.webSeeds.fetchesInFlight());
            assertTrue(rig.warned("web seed " + server.url("/data.bin") + ": no data for 30 s (0 of "),
                rig.warnings::toString);
            assertEquals(1, rig.warnings.size(), "in flight together, struck once: " + rig.warnings);
            assertEquals(rig.picker.pieceCount() * 4L, rig.picker.unrequestedBlocks(), "every block back for peers");
        }
    }

    @Test
    void busyWaitsAsLongAsAskedAndIsNeverDropped() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).status(503, "7");
             WebSeedRig rig = rig(server))
        {
            rig.tick(0);
            for (int round = 0; round < 8; round++)
            {
                rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "heard busy");
                rig.tick(6 * SECOND_NS);
                assertEquals(0, rig.webSeeds.fetchesInFlight(), "still waiting as asked");
                rig.tick(SECOND_NS);
                assertTrue(rig.webSeeds.fetchesInFlight() > 0, "asked again after 7 s");
            }
            assertEquals(1, rig.webSeeds.usable());
            assertTrue(rig.warned(": HTTP 503 (busy); next try in 7 s"), rig.warnings::toString);
            server.status(0, null);
            rig.pumpToCompletion();
            assertArrayEquals(Files.readAllBytes(tmp.resolve("www/data.bin")), rig.received);
        }
    }

    @Test
    void badDataDropsTheSeedAfterThreeBadPieces() throws Exception
    {
        try (HttpFileServer server = new HttpFileServer(tmp.resolve("www")).corrupt("data.bin", 100_000, 300_000);
             WebSeedRig rig = rig(server))
        {
            rig.tick(0);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rig.webSeeds.usable() > 0 && System.nanoTime() < deadline)
            {
                rig.pumpUntil(() -> rig.webSeeds.fetchesInFlight() == 0, "fetched");
                rig.tick(SECOND_NS);
            }
            // bytes 100,000..300,000 lie in pieces 1 to 4 (64 KiB each): whichever three failed first drop it
            assertTrue(rig.piecesFailed >= 3, "pieces failed: " + rig.piecesFailed);
            assertTrue(rig.warnings.stream().anyMatch(w -> w.matches("web seed " +
                server.url("/data.bin").replace(".", "\\.") + " dropped: piece [1-4] failed its SHA-1 check " +
                "\\(3 bad pieces\\)")), rig.warnings::toString);
            for (int piece = 1; piece <= 4; piece++)
            {
                assertFalse(rig.picker.have(piece), "piece " + piece);
            }
            assertEquals(0, rig.webSeeds.usable());
        }
    }
}
