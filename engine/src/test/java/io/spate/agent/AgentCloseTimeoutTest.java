package io.spate.agent;

import io.spate.Context;
import io.spate.verify.TorrentRegistry;
import io.spate.verify.VerifyPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing the agents when one has stopped answering returns within the bound, names the stuck agent, and still stops
 * the others; Agrona's own close would wait for the stuck thread for ever.
 */
@Timeout(60)
class AgentCloseTimeoutTest
{
    @Test
    void closeReturnsWithinTheBoundNamingTheAgentThatDoesNotStop() throws Exception
    {
        final VerifyPipeline pipeline = new VerifyPipeline(64, 1, new TorrentRegistry(4, 2));
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final NetworkAgents agents = new NetworkAgents(new Context().bindAddress(InetAddress.getLoopbackAddress())
            .port(0).threads(2).conclude(), pipeline, errors::add);
        final AgentStall stall = AgentStall.of(agents.agent(1));
        try
        {
            agents.closeTimeoutMs(300);
            final Thread closer = new Thread(agents::close, "closer");
            closer.start();
            closer.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(closer.isAlive(), "close still waits for the stuck agent");
            assertEquals(1, errors.size(), errors.toString());
            assertEquals("network agent spate-network-1 did not stop within 300 ms (its thread is stuck): left " +
                "running", errors.get(0).getMessage());
            assertTrue(agents.agent(0).stopped(), "the agent that answers was stopped");
            assertFalse(agents.agent(1).stopped());
        }
        finally
        {
            stall.close();
            pipeline.close();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!agents.agent(1).stopped() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(agents.agent(1).stopped(), "once it answers again, the agent ends as it was told to");
    }
}
