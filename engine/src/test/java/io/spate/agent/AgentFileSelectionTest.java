package io.spate.agent;

import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.storage.TorrentStorage;
import io.spate.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.spate.agent.ScriptedPeer.BITFIELD;
import static io.spate.agent.ScriptedPeer.HAVE;
import static io.spate.agent.ScriptedPeer.INTERESTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selective download on a harnessed agent: a torrent of three files whose middle one is skipped. Its pieces 1 and 3
 * straddle the borders (wanted), piece 2 lies in the skipped file only: it is never requested, a peer with nothing
 * else is not interesting, the torrent finishes without it, and once the file is wanted again it is fetched.
 */
@Timeout(30)
final class AgentFileSelectionTest
{
    private static final int PIECE_LENGTH = 32768;
    /** a.bin: pieces 0-1; b.bin: 1-3 (piece 2 wholly inside); c.bin: 3-4. */
    private static final int[] LENGTHS = {40_000, 70_000, 50_000};
    private static final int ONLY_SKIPPED = 2;

    @TempDir
    Path tmp;
    private AgentHarness harness;
    private Metainfo torrent;
    private byte[] content;
    private TorrentSession leech;
    private final TorrentStats stats = new TorrentStats();
    private DialledSeeds seeds;

    @BeforeEach
    void leech() throws Exception
    {
        harness = new AgentHarness();
        final Path src = tmp.resolve("src/set");
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < LENGTHS.length; i++)
        {
            final Path file = src.resolve((char)('a' + i) + ".bin");
            TestData.file(file, LENGTHS[i], 70 + i);
            all.write(Files.readAllBytes(file));
        }
        content = all.toByteArray();
        torrent = Metainfo.parse(TorrentBuilder.of(src).pieceLength(PIECE_LENGTH).build());
        assertEquals(5, torrent.pieceCount());
        leech = harness.add(torrent, tmp.resolve("dl"), stats, SessionOptions.DEFAULTS,
            FilePriorities.of(List.of(4, 0, 4), 3, "test"));
        seeds = new DialledSeeds(harness, leech, torrent, content);
    }

    @AfterEach
    void close() throws Exception
    {
        harness.close();
        seeds.close();
    }

    /** Answers every request until the agent asks for nothing more; returns the pieces it asked for. */
    private List<Integer> serveAll(final ScriptedPeer seed) throws Exception
    {
        final List<Integer> asked = new ArrayList<>();
        for (int round = 0; round < 100; round++)
        {
            final List<int[]> requests = DialledSeeds.requests(seed);
            if (requests.isEmpty())
            {
                harness.advanceSeconds(1);
                if (DialledSeeds.requests(seed).isEmpty())
                {
                    break;
                }
            }
            for (final int[] request : requests)
            {
                asked.add(request[0]);
                seeds.send(seed, request, false);
            }
        }
        return asked;
    }

    private byte[] fileOf(final int i)
    {
        int from = 0;
        for (int k = 0; k < i; k++)
        {
            from += LENGTHS[k];
        }
        return java.util.Arrays.copyOfRange(content, from, from + LENGTHS[i]);
    }

    @Test
    void theSkippedFilesOnlyPieceIsNeverRequestedTheRestFinishesAndTheSkippedFileIsNotCreated() throws Exception
    {
        final Path dl = tmp.resolve("dl/set");
        assertEquals(LENGTHS[0] + LENGTHS[2], stats.wantedBytes.get());
        try (ScriptedPeer seed = seeds.unchoking("seed"))
        {
            final List<Integer> asked = serveAll(seed);
            harness.pumpUntil(leech::isFinished, "the wanted pieces verified");

            assertFalse(asked.contains(ONLY_SKIPPED), "requested " + asked);
            assertTrue(asked.containsAll(List.of(0, 1, 3, 4)), "requested " + asked);
            assertEquals(stats.wantedBytes.get(), stats.wantedVerifiedBytes.get());
            assertArrayEquals(fileOf(0), Files.readAllBytes(dl.resolve("a.bin")));
            assertArrayEquals(fileOf(2), Files.readAllBytes(dl.resolve("c.bin")));
            assertFalse(Files.exists(dl.resolve("b.bin")), "the skipped file was created");
            assertTrue(Files.exists(tmp.resolve("dl").resolve(TorrentStorage.partFileName(torrent))));
        }
    }

    @Test
    void aPeerWithOnlySkippedPiecesIsNotInterestingUntilItHasAWantedOne() throws Exception
    {
        try (ScriptedPeer peer = ScriptedPeer.dial(harness))
        {
            peer.handshake(torrent.infoHash(), "skipped", false, false);
            peer.readHandshake();
            peer.message(BITFIELD, new byte[] {(byte)(0x80 >>> ONLY_SKIPPED)});
            for (final ScriptedPeer.Frame frame : peer.drain())
            {
                assertFalse(frame.id() == INTERESTED, "interested in a peer with only a skipped piece");
            }
            peer.message(HAVE, 3);
            peer.next(INTERESTED);
        }
    }

    @Test
    void aSkippedFileWantedAgainIsFetchedAndEveryFileEndsByteIdentical() throws Exception
    {
        final Path dl = tmp.resolve("dl/set");
        try (ScriptedPeer seed = seeds.unchoking("seed"))
        {
            serveAll(seed);
            harness.pumpUntil(leech::isFinished, "the wanted pieces verified");

            leech.storage().unskip(1); // what TorrentHandle does on the control thread, then on the agent's:
            leech.filePriorities(FilePriorities.all(3));
            assertFalse(leech.isFinished());
            assertEquals(torrent.totalLength(), stats.wantedBytes.get());

            final List<Integer> asked = serveAll(seed);
            harness.pumpUntil(leech::isFinished, "every piece verified");
            assertEquals(List.of(ONLY_SKIPPED), asked.stream().distinct().toList());
            for (int i = 0; i < LENGTHS.length; i++)
            {
                assertArrayEquals(fileOf(i), Files.readAllBytes(dl.resolve((char)('a' + i) + ".bin")), "file " + i);
            }
            assertFalse(Files.exists(tmp.resolve("dl").resolve(TorrentStorage.partFileName(torrent))),
                "the part file outlived its last piece");
        }
    }
}
