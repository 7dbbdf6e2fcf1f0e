package io.spate.agent;

import io.spate.Context;
import io.spate.Engine;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What waits for a torrent's completion (the command line's complete event and its histogram snapshots, the tracker's
 * completed announce) runs on a control thread, never on the network agent that is serving the swarm.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionThreadTest
{
    @TempDir
    Path tmp;

    @Test
    void completionsDependentsRunOffTheAgentsThread() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("x.bin"), 300_000, 41);
        final Metainfo x = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("x.bin")).pieceLength(16384).build());
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        final CompletableFuture<String> ranOn = new CompletableFuture<>();
        final CompletableFuture<String> listenerOn = new CompletableFuture<>();
        try (Engine seed = Engine.launch(new Context().bindAddress(loopback).port(0).threads(1));
             Engine leech = Engine.launch(new Context().bindAddress(loopback).port(0).threads(1)))
        {
            seed.addTorrent(x, seedDir, true, TorrentListener.NONE, null);
            final TorrentHandle handle = leech.addTorrent(x, tmp.resolve("leech"), false, new TorrentListener()
            {
                @Override
                public void onComplete()
                {
                    listenerOn.complete(Thread.currentThread().getName());
                }
            }, null);
            handle.completion().thenRun(() -> ranOn.complete(Thread.currentThread().getName()));
            handle.addPeers(List.of(new InetSocketAddress(loopback, seed.listenAddress().getPort())));
            handle.completion().get(30, TimeUnit.SECONDS);
            assertEquals("spate-network-0", listenerOn.get(10, TimeUnit.SECONDS), "the listener is the agent's own");
            final String thread = ranOn.get(10, TimeUnit.SECONDS);
            assertFalse(thread.startsWith("spate-network"), "completion's dependents ran on " + thread);
        }
        assertEquals(TestData.sha256(seedDir.resolve("x.bin")), TestData.sha256(tmp.resolve("leech/x.bin")));
    }
}
