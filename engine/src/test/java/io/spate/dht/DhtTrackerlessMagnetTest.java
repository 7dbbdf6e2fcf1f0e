package io.spate.dht;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.cli.Main;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A trackerless magnet link from the command line: {@code leech 'magnet:?xt=urn:btih:HASH' --dht-port 0
 * --dht-bootstrap HOST:PORT} finds a seed that only the DHT knows of, fetches the metadata from it and completes.
 */
class DhtTrackerlessMagnetTest
{
    @TempDir
    Path tmp;

    private final List<DhtNode> nodes = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close()
    {
        scheduler.shutdownNow();
        nodes.forEach(DhtNode::close);
    }

    @Test
    @Timeout(120)
    void aLeecherFindsTheSeedThroughTheDhtAlone() throws Exception
    {
        DhtSwarmTest.swarm(4, nodes);
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("data.bin"), 3 * 1024 * 1024 + 17, 5);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("data.bin")).pieceLength(64 * 1024)
            .build());
        try (Engine seed = Engine.launch(new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0)
            .threads(1).threadingMode(ThreadingMode.SHARED).ringSize(256).diskHandlers(1)))
        {
            final TorrentHandle torrent = seed.addTorrent(meta, seedDir, true, TorrentListener.NONE, null);
            torrent.completion().get(30, TimeUnit.SECONDS);
            try (DhtPeerSource source = new DhtPeerSource(nodes.get(1), meta.infoHash(),
                seed.listenAddress().getPort(), scheduler, torrent::addPeers, Duration.ofSeconds(60),
                Duration.ofSeconds(1)))
            {
                source.start();
                final Path leechDir = tmp.resolve("leech");
                final StringWriter out = new StringWriter();
                final StringWriter err = new StringWriter();
                final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
                    new PrintWriter(out, true), new PrintWriter(err, true), "leech",
                    "magnet:?xt=urn:btih:" + HexFormat.of().formatHex(meta.infoHash()), "--dir", leechDir.toString(),
                    "--bind", "127.0.0.1", "--port", "0", "--dht-port", "0",
                    "--dht-bootstrap", "127.0.0.1:" + nodes.get(0).localAddress().getPort(),
                    "--exit-when-done", "--json", "--metadata-timeout", "60"));
                assertEquals(0, exit.get(100, TimeUnit.SECONDS), "stdout " + out + "\nstderr " + err);
                assertEquals(TestData.sha256(seedDir.resolve("data.bin")),
                    TestData.sha256(leechDir.resolve("data.bin")));
            }
        }
    }
}
