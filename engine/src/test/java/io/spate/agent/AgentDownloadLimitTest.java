package io.spate.agent;

import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Download limits on a harnessed agent with a fake clock: a seed sends faster than the limit; the agent reads only
 * what the limit's tokens allow each (simulated) second, and all of it once the limit is lifted live.
 */
@Timeout(30)
final class AgentDownloadLimitTest
{
    private static final int PIECE_LENGTH = 32768;
    private static final int BLOCK = 16384;
    private static final int LIMIT = 2 * BLOCK; // bytes a second
    private static final int BLOCKS_SENT_PER_SECOND = 4;
    private static final int SECONDS_SENDING = 3;

    @TempDir
    Path tmp;
    private AgentHarness harness;
    private Metainfo torrent;
    private TorrentSession leech;
    private byte[] content;
    private final TorrentStats stats = new TorrentStats();
    private DialledSeeds seeds;

    @BeforeEach
    void leech() throws Exception
    {
        harness = new AgentHarness();
        torrent = AgentHarness.torrent(tmp.resolve("src/f.bin"), 16, PIECE_LENGTH, 5);
        content = Files.readAllBytes(tmp.resolve("src/f.bin"));
        leech = harness.add(torrent, tmp.resolve("dl"), stats);
        seeds = new DialledSeeds(harness, leech, torrent, content);
    }

    @AfterEach
    void close() throws Exception
    {
        harness.close();
        seeds.close();
    }

    private ScriptedPeer seed() throws Exception
    {
        return seeds.unchoking("seed");
    }

    private void sendFasterThanTheLimit(final ScriptedPeer seed, final TorrentStats stats) throws Exception
    {
        final List<int[]> pending = new ArrayList<>(DialledSeeds.requests(seed));
        assertTrue(pending.size() >= BLOCKS_SENT_PER_SECOND * SECONDS_SENDING, "slow start asks for 16 blocks");
        final long startTokens = Math.max(LIMIT / 10, BLOCK); // what a new bucket holds (TokenBucket)
        for (int second = 1; second <= SECONDS_SENDING; second++)
        {
            for (int i = 0; i < BLOCKS_SENT_PER_SECOND; i++)
            {
                seeds.send(seed, pending.remove(0), false);
            }
            harness.pump();
            harness.advanceSeconds(1);
            final long read = stats.downloadedBytes.get();
            assertTrue(read <= startTokens + (long)LIMIT * second,
                "after " + second + " s at " + LIMIT + " B/s the agent took " + read + " bytes");
        }
        final long read = stats.downloadedBytes.get();
        assertTrue(read >= LIMIT, "the limit lets bytes through: " + read);
        assertTrue(read < (long)BLOCK * BLOCKS_SENT_PER_SECOND * SECONDS_SENDING, "not everything sent: " + read);
    }

    @Test
    void theEngineLimitHoldsReadsBackUntilLifted() throws Exception
    {
        harness.limits.download().rate(LIMIT);
        try (ScriptedPeer seed = seed())
        {
            sendFasterThanTheLimit(seed, stats);
            harness.limits.download().rate(0);
            harness.advanceSeconds(1);
            harness.pumpUntil(() -> stats.downloadedBytes.get() == (long)BLOCK * BLOCKS_SENT_PER_SECOND *
                SECONDS_SENDING, "every block sent taken in once the limit is lifted");
        }
    }

    @Test
    void aTorrentsOwnLimitHoldsToo() throws Exception
    {
        leech.downloadLimit().rate(LIMIT);
        try (ScriptedPeer seed = seed())
        {
            sendFasterThanTheLimit(seed, stats);
            leech.downloadLimit().rate(0);
            harness.advanceSeconds(1);
            harness.pumpUntil(() -> stats.downloadedBytes.get() == (long)BLOCK * BLOCKS_SENT_PER_SECOND *
                SECONDS_SENDING, "every block sent taken in");
            assertEquals(0, harness.limits.download().rate());
        }
    }
}
