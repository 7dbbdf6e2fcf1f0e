package io.spate.agent;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two network agents in one engine, in both threading modes: torrents are spread over the agents, and a connection
 * accepted by the listening agent for a torrent owned by the other agent is handed over after its handshake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiAgentTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void seedWithTwoAgentsServesTorrentsOwnedByEitherAgent(final ThreadingMode mode) throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("x.bin"), 700_000, 31);
        TestData.file(seedDir.resolve("y.bin"), 900_000, 32);
        final Metainfo x = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("x.bin")).pieceLength(16384).build());
        final Metainfo y = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("y.bin")).pieceLength(16384).build());
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        try (Engine seed = Engine.launch(new Context().bindAddress(loopback).port(0).threads(2).threadingMode(mode));
             Engine leech = Engine.launch(new Context().bindAddress(loopback).port(0).threads(2).threadingMode(mode)))
        {
            seed.addTorrent(x, seedDir, true, TorrentListener.NONE, null);
            seed.addTorrent(y, seedDir, true, TorrentListener.NONE, null);
            final TorrentHandle lx = leech.addTorrent(x, tmp.resolve("leech"), false, TorrentListener.NONE, null);
            final TorrentHandle ly = leech.addTorrent(y, tmp.resolve("leech"), false, TorrentListener.NONE, null);
            final InetSocketAddress seedAddress = new InetSocketAddress(loopback, seed.listenAddress().getPort());
            lx.addPeers(List.of(seedAddress));
            ly.addPeers(List.of(seedAddress));
            lx.completion().get(30, TimeUnit.SECONDS);
            ly.completion().get(30, TimeUnit.SECONDS);
        }
        assertEquals(TestData.sha256(seedDir.resolve("x.bin")), TestData.sha256(tmp.resolve("leech/x.bin")));
        assertEquals(TestData.sha256(seedDir.resolve("y.bin")), TestData.sha256(tmp.resolve("leech/y.bin")));
    }
}
