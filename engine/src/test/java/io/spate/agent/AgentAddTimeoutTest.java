package io.spate.agent;

import io.spate.Context;
import io.spate.metainfo.Metainfo;
import io.spate.storage.TorrentStorage;
import io.spate.verify.TorrentRegistry;
import io.spate.verify.VerifyPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adding a torrent to an agent that does not answer fails within the bound, naming the agent, instead of hanging. */
@Timeout(30)
class AgentAddTimeoutTest
{
    @TempDir
    Path tmp;

    @Test
    void anAgentThatDoesNotAnswerFailsTheAddWithItsNameAndTheTorrentIsNotAddedLater() throws Exception
    {
        final Metainfo torrent = AgentHarness.torrent(tmp.resolve("src/f.bin"), 4, 16384, 3);
        final VerifyPipeline pipeline = new VerifyPipeline(64, 1, new TorrentRegistry(4, 1));
        try (NetworkAgents agents = new NetworkAgents(new Context().bindAddress(InetAddress.getLoopbackAddress())
            .port(0).threads(1).conclude(), pipeline, t -> { });
            TorrentStorage storage = TorrentStorage.open(torrent, tmp.resolve("src"), false))
        {
            final CountDownLatch stuck = new CountDownLatch(1);
            agents.agent(0).offer(() ->
            {
                try
                {
                    stuck.await(20, TimeUnit.SECONDS); // the agent's thread hangs in a command
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            agents.addTimeoutMs(300);
            final BitSet all = new BitSet();
            all.set(0, 4);
            final long start = System.nanoTime();
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> agents.add(storage, all, TorrentListener.NONE, () -> { }));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by the timeout");
            assertEquals("f.bin: network agent spate-network-0 did not take the torrent within 300 ms (its thread " +
                "is stuck)", refused.getMessage());

            stuck.countDown();
            agents.addTimeoutMs(10_000);
            final TorrentHandle handle = agents.add(storage, all, TorrentListener.NONE, () -> { });
            assertEquals(4, handle.verifiedPieces().get(5, TimeUnit.SECONDS).cardinality(), "the agent answers again");
            final CountDownLatch counted = new CountDownLatch(1);
            final int[] sessions = new int[1];
            agents.agent(0).offer(() ->
            {
                sessions[0] = agents.agent(0).sessionCount();
                counted.countDown();
            });
            assertTrue(counted.await(5, TimeUnit.SECONDS));
            assertEquals(1, sessions[0], "the abandoned add did not run once the agent woke");
        }
        finally
        {
            pipeline.close();
        }
    }
}
