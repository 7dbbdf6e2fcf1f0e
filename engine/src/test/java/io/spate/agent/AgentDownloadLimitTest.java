package io.spate.agent;

import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.spate.agent.ScriptedPeer.HAVE_ALL;
import static io.spate.agent.ScriptedPeer.INTERESTED;
import static io.spate.agent.ScriptedPeer.PIECE;
import static io.spate.agent.ScriptedPeer.REQUEST;
import static io.spate.agent.ScriptedPeer.UNCHOKE;
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
    private ServerSocketChannel listener;

    @BeforeEach
    void leech() throws Exception
    {
        harness = new AgentHarness();
        torrent = AgentHarness.torrent(tmp.resolve("src/f.bin"), 16, PIECE_LENGTH, 5);
        content = Files.readAllBytes(tmp.resolve("src/f.bin"));
        leech = harness.add(torrent, tmp.resolve("dl"), stats);
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws Exception
    {
        harness.close();
        listener.close();
    }

    private ScriptedPeer seed() throws Exception
    {
        harness.agent.addPeers(leech, List.of((InetSocketAddress)listener.getLocalAddress()));
        final ScriptedPeer seed = ScriptedPeer.accept(harness, listener);
        seed.readHandshake();
        seed.handshake(torrent.infoHash(), "seed", true, false);
        seed.message(HAVE_ALL);
        seed.next(INTERESTED);
        seed.message(UNCHOKE);
        return seed;
    }

    private List<int[]> requests(final ScriptedPeer peer)
    {
        final List<int[]> requests = new ArrayList<>();
        for (final ScriptedPeer.Frame frame : peer.drain())
        {
            if (frame.id() == REQUEST)
            {
                requests.add(new int[] {frame.intAt(0), frame.intAt(4), frame.intAt(8)});
            }
        }
        return requests;
    }

    private void answer(final ScriptedPeer seed, final int[] request) throws Exception
    {
        final int from = request[0] * PIECE_LENGTH + request[1];
        final byte[] block = Arrays.copyOfRange(content, from, from + request[2]);
        seed.message(PIECE, ByteBuffer.allocate(8 + block.length).putInt(request[0]).putInt(request[1]).put(block)
            .array());
    }

    private void sendFasterThanTheLimit(final ScriptedPeer seed, final TorrentStats stats) throws Exception
    {
        final List<int[]> pending = new ArrayList<>(requests(seed));
        assertTrue(pending.size() >= BLOCKS_SENT_PER_SECOND * SECONDS_SENDING, "slow start asks for 16 blocks");
        final long startTokens = Math.max(LIMIT / 10, BLOCK); // what a new bucket holds (TokenBucket)
        for (int second = 1; second <= SECONDS_SENDING; second++)
        {
            for (int i = 0; i < BLOCKS_SENT_PER_SECOND; i++)
            {
                answer(seed, pending.remove(0));
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
