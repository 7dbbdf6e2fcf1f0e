package io.spate.interop;

import io.spate.cli.CliRun;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import io.spate.testing.ThirdPartyClient;
import io.spate.wire.MetadataMessage;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Magnet links across implementations (BEP 9 both ways) with the real clients, through a Spate tracker on loopback:
 * the client starts from a magnet link and takes the metadata and the data from a Spate seed; {@code spate leech
 * MAGNET} takes both from the client's seed. The info dictionary spans several metadata pieces. Bytes identical.
 * Clients run through {@code tools/clients/client.py}; a missing client fails, it is never skipped. Transmission
 * only seeds here: it will not dial 127.x peers, and its magnet leech from a lone seed is its own slow story.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class MagnetInteropTest
{
    private static final int CLIENT_TIMEOUT_SECONDS = 100;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    static Stream<Arguments> cases()
    {
        return Stream.of(
            Arguments.of("libtorrent", true), Arguments.of("libtorrent", false),
            Arguments.of("qbittorrent", true), Arguments.of("qbittorrent", false),
            Arguments.of("aria2", true), Arguments.of("aria2", false),
            Arguments.of("transmission", false));
    }

    @ParameterizedTest(name = "{0} leeches from a magnet: {1}")
    @MethodSource("cases")
    void magnetLinkBothWays(final String client, final boolean clientLeeches) throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        final Path root = seedDir.resolve("set");
        TestData.file(root.resolve("a.bin"), 14 * 1024 * 1024 + 77, 11);
        TestData.file(root.resolve("deeper/b.bin"), 1024 * 1024, 12);
        final Path leechDir = tmp.resolve("leech");
        Files.createDirectories(leechDir);
        try (Swarm swarm = new Swarm())
        {
            final byte[] torrentBytes = TorrentBuilder.of(root).pieceLength(16 * 1024).tracker(swarm.announceUrl())
                .build();
            final Path torrentFile = Files.write(tmp.resolve("set.torrent"), torrentBytes);
            final Metainfo meta = Metainfo.parse(torrentBytes);
            assertTrue(MetadataMessage.pieceCount(meta.rawInfo().length) > 1, "more than one metadata piece");
            final String magnet = "magnet:?xt=urn:btih:" + meta.infoHashHex() + "&dn=set&tr=" +
                URLEncoder.encode(swarm.announceUrl(), StandardCharsets.UTF_8);
            if (clientLeeches)
            {
                final Swarm.Peer seed = swarm.seed(meta, seedDir);
                ClientInteropTest.awaitTrackerSeeds(swarm, meta, 10_000);
                try (ThirdPartyClient leech = ThirdPartyClient.start(client, "leech", torrentFile, magnet, leechDir,
                    tmp.resolve("work"), CLIENT_TIMEOUT_SECONDS))
                {
                    leech.awaitComplete(80_000);
                    Spate.assertNoFaults("spate seed", seed, ClientInteropTest.expectedCloses(client));
                }
            }
            else
            {
                try (ThirdPartyClient seed = ThirdPartyClient.start(client, "seed", torrentFile, seedDir,
                    tmp.resolve("work"), CLIENT_TIMEOUT_SECONDS))
                {
                    seed.awaitComplete(20_000);
                    ClientInteropTest.awaitTrackerSeeds(swarm, meta, 10_000);
                    final CliRun run = CliRun.of("leech", magnet, "--dir", leechDir.toString(), "--port", "0",
                        "--bind", "127.0.0.1", "--exit-when-done", "--json", "--metadata-timeout", "60");
                    assertEquals(0, run.exit(), run::toString);
                }
            }
            assertEquals(TestData.manifest(seedDir), TestData.manifest(leechDir));
        }
    }
}
