package io.spate.interop;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import io.spate.testing.ThirdPartyClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mixed swarm through a Spate tracker on loopback: a Spate seed, two Spate leechers, a libtorrent leecher and an
 * aria2 leecher. Every leecher ends with the seed's bytes, and the Spate leechers upload what they hold to the
 * others. The leechers join first and meet through the tracker; the seed joins once they have, so pieces spread
 * between leechers and not only from the seed.
 */
class MixedSwarmTest
{
    private static final int CLIENT_TIMEOUT_SECONDS = 120;
    private static final long MESH_MS = 20_000;
    private static final long TRANSFER_MS = 60_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void spateSeedAndLeechersSwarmWithLibtorrentAndAria2() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        final Path data = TestData.file(seedDir.resolve("mixed.bin"), 16L * 1024 * 1024, 31);
        try (Swarm swarm = new Swarm())
        {
            // 256 pieces of 64 KiB: enough for leechers to hold pieces the others lack
            final byte[] torrentBytes = TorrentBuilder.of(data).pieceLength(64 * 1024)
                .tracker(swarm.announceUrl()).build();
            final Path torrentFile = Files.write(tmp.resolve("mixed.torrent"), torrentBytes);
            final Metainfo meta = Metainfo.parse(torrentBytes);

            final Swarm.Peer a = swarm.leech(meta, tmp.resolve("spate-a"));
            final Swarm.Peer b = swarm.leech(meta, tmp.resolve("spate-b"));
            try (ThirdPartyClient lt = ThirdPartyClient.start("libtorrent", "leech", torrentFile,
                    tmp.resolve("libtorrent"), tmp.resolve("work"), CLIENT_TIMEOUT_SECONDS);
                ThirdPartyClient aria2 = ThirdPartyClient.start("aria2", "leech", torrentFile,
                    tmp.resolve("aria2"), tmp.resolve("work"), CLIENT_TIMEOUT_SECONDS))
            {
                lt.awaitStarted(15_000);
                aria2.awaitStarted(15_000);
                awaitMesh(a, b);
                final Swarm.Peer seed = swarm.seed(meta, seedDir);

                Spate.awaitComplete(a, TRANSFER_MS, lt, aria2);
                Spate.awaitComplete(b, TRANSFER_MS, lt, aria2);
                lt.awaitComplete(TRANSFER_MS);
                aria2.awaitComplete(TRANSFER_MS);

                final Map<String, String> expected = TestData.manifest(seedDir);
                assertEquals(expected, TestData.manifest(tmp.resolve("spate-a")), "spate leecher a");
                assertEquals(expected, TestData.manifest(tmp.resolve("spate-b")), "spate leecher b");
                assertEquals(expected, TestData.manifest(tmp.resolve("libtorrent")), "libtorrent leecher");
                assertEquals(expected, TestData.manifest(tmp.resolve("aria2")), "aria2 leecher");

                final long uploadedByLeechers = a.torrent().stats().uploadedBytes.get() +
                    b.torrent().stats().uploadedBytes.get();
                final long downloadedByLeechers = a.torrent().stats().downloadedBytes.get() +
                    b.torrent().stats().downloadedBytes.get();
                System.out.printf("mixed swarm: spate leechers uploaded %d bytes (a %d, b %d), downloaded %d; " +
                    "seed uploaded %d%n", uploadedByLeechers, a.torrent().stats().uploadedBytes.get(),
                    b.torrent().stats().uploadedBytes.get(), downloadedByLeechers,
                    seed.torrent().stats().uploadedBytes.get());
                Spate.assertNoFaults("spate leecher a", a, Spate.MSE_PROBE);
                Spate.assertNoFaults("spate leecher b", b, Spate.MSE_PROBE);
                Spate.assertNoFaults("spate seed", seed, Spate.MSE_PROBE);
                assertTrue(uploadedByLeechers > 0, "the Spate leechers uploaded nothing: a " + Spate.describe(a) +
                    "; b " + Spate.describe(b) + "; seed " + Spate.describe(seed));
            }
        }
    }

    /** Waits (bounded; goes on regardless) until each Spate leecher is connected to the three other leechers. */
    private static void awaitMesh(final Swarm.Peer a, final Swarm.Peer b) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MESH_MS);
        while (System.nanoTime() < deadline &&
            (a.torrent().stats().peersConnected.get() < 3 || b.torrent().stats().peersConnected.get() < 3))
        {
            Thread.sleep(50);
        }
        System.out.printf("mixed swarm: leechers' peers before the seed joined: a %d, b %d%n",
            a.torrent().stats().peersConnected.get(), b.torrent().stats().peersConnected.get());
    }
}
