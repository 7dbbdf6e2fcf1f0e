package io.spate.interop;

import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.HttpFileServer;
import io.spate.testing.TestData;
import io.spate.testing.ThirdPartyClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BEP 19 interoperates: libtorrent (python3-libtorrent, through {@code tools/clients/client.py}) completes a
 * Spate-made torrent whose only source is a web seed: the same in-process HTTP server (with Range) that
 * {@code WebSeedTransferTest} leeches from, no tracker, no peer. Single- and multi-file; every file ends
 * byte-identical. A missing libtorrent fails the test (the driver reports an error), it is never skipped.
 */
class WebSeedLibtorrentInteropTest
{
    private static final int CLIENT_TIMEOUT_SECONDS = 120;
    private static final long TRANSFER_MS = 90_000;

    /** Failed cases keep their directories: data, the client's profile and log under work/. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"single-file", "multi-file"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void libtorrentCompletesASpateTorrentFromTheWebSeedAlone(final String shape) throws Exception
    {
        final Path www = tmp.resolve("www");
        final Path content;
        final String webSeed;
        if (shape.equals("single-file"))
        {
            content = TestData.file(www.resolve("files/single.bin"), 16L * 1024 * 1024 + 12_345, 41);
            webSeed = "/files/single.bin";
        }
        else
        {
            content = www.resolve("pub/album");
            TestData.file(content.resolve("cd 1/01 intro.flac"), 700_001, 42);
            TestData.file(content.resolve("cd 1/02.flac"), 16_384, 43);
            Files.createDirectories(content.resolve("cd 2/extras"));
            Files.write(content.resolve("cd 2/extras/empty.txt"), new byte[0]);
            TestData.file(content.resolve("cd 2/03 ü.flac"), 1_234_567, 44);
            TestData.file(content.resolve("z/last.bin"), 5, 45);
            webSeed = "/pub/";
        }
        try (HttpFileServer server = new HttpFileServer(www))
        {
            final byte[] torrent = TorrentBuilder.of(content).pieceLength(64 * 1024).webSeed(server.url(webSeed))
                .build();
            final Path torrentFile = Files.write(tmp.resolve("web-seeded.torrent"), torrent);
            final Path leechDir = tmp.resolve("leech");
            try (ThirdPartyClient leech = ThirdPartyClient.start("libtorrent", "leech", torrentFile, leechDir,
                tmp.resolve("work"), CLIENT_TIMEOUT_SECONDS))
            {
                leech.awaitComplete(TRANSFER_MS);
                System.out.println("libtorrent leeched " + shape + " from the web seed in " +
                    server.requests().size() + " requests " + server.requests() + ": " + leech.timedLines());
            }
            assertTrue(server.requests().size() > 0, "libtorrent asked the web seed");
            assertEquals(TestData.manifest(content.getParent()), TestData.manifest(leechDir));
        }
    }
}
