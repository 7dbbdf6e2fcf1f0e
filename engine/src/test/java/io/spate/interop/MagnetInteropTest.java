package io.spate.interop;

import io.spate.cli.CliRun;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Magnet links across implementations (BEP 9 both ways), with the real libtorrent from python3-libtorrent: a
 * libtorrent magnet leecher takes the metadata and the data from a Spate seed, and {@code spate leech MAGNET} takes
 * both from a libtorrent seed. Bytes identical. Fails (never skips) when /usr/bin/python3 lacks libtorrent.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MagnetInteropTest
{
    @TempDir
    Path tmp;

    @Test
    void libtorrentLeechesAMagnetLinkFromASpateSeed() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("set/a.bin"), 14 * 1024 * 1024 + 77, 11);
        TestData.file(seedDir.resolve("set/deeper/b.bin"), 1024 * 1024, 12);
        try (Swarm swarm = new Swarm())
        {
            // 16 KiB pieces: an info dictionary of several metadata pieces
            final Metainfo meta = Metainfo.parse(TorrentBuilder.of(seedDir.resolve("set")).pieceLength(16 * 1024)
                .tracker(swarm.announceUrl()).build());
            assertTrue(meta.rawInfo().length > 16 * 1024, "more than one metadata piece");
            swarm.seed(meta, seedDir);
            final String magnet = "magnet:?xt=urn:btih:" + meta.infoHashHex() + "&dn=set&tr=" +
                URLEncoder.encode(swarm.announceUrl(), StandardCharsets.UTF_8);
            final Path leechDir = tmp.resolve("leech");
            Files.createDirectories(leechDir);
            final Process lt = new ProcessBuilder("/usr/bin/python3", script("libtorrent_magnet_leech.py").toString(),
                magnet, leechDir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try
            {
                final BufferedReader out = new BufferedReader(new InputStreamReader(lt.getInputStream(),
                    StandardCharsets.US_ASCII));
                final String metadata = out.readLine();
                assertNotNull(metadata, "libtorrent printed nothing (needs /usr/bin/python3 with python3-libtorrent)");
                assertEquals("METADATA " + meta.infoHashHex() + " " + meta.rawInfo().length, metadata);
                assertEquals("DONE", out.readLine());
            }
            finally
            {
                lt.getOutputStream().close();
                lt.destroy();
                lt.waitFor(10, TimeUnit.SECONDS);
            }
            assertEquals(TestData.manifest(seedDir), TestData.manifest(leechDir));
        }
    }

    @Test
    void spateLeechesAMagnetLinkFromALibtorrentSeed() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        final Path data = TestData.file(seedDir.resolve("data.bin"), 15 * 1024 * 1024 + 4321, 13);
        final Process lt = new ProcessBuilder("/usr/bin/python3",
            script("../wire/libtorrent_seed.py").toString(), data.toString(), Integer.toString(16 * 1024))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final String line = new BufferedReader(new InputStreamReader(lt.getInputStream(),
                StandardCharsets.US_ASCII)).readLine();
            assertNotNull(line, "the libtorrent seed did not start (needs /usr/bin/python3 with python3-libtorrent)");
            final String[] ready = line.split(" ");
            assertEquals("READY", ready[0]);
            assertTrue(Long.parseLong(ready[4]) > 16 * 1024, "more than one metadata piece");
            // no tracker: the link's x.pe names the seed, for the metadata and then for the data
            final String magnet = "magnet:?xt=urn:btih:" + ready[2] + "&x.pe=127.0.0.1:" + ready[1];
            final Path leechDir = tmp.resolve("leech");
            final CliRun run = CliRun.of("leech", magnet, "--dir", leechDir.toString(), "--port", "0",
                "--bind", "127.0.0.1", "--exit-when-done", "--json", "--metadata-timeout", "30");
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("\"event\":\"complete\""), run::toString);
            assertEquals(TestData.manifest(seedDir), TestData.manifest(leechDir));
        }
        finally
        {
            lt.getOutputStream().close();
            lt.destroy();
            lt.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path script(final String name) throws Exception
    {
        final Path script = tmp.resolve(Path.of(name).getFileName());
        try (InputStream in = getClass().getResourceAsStream(name))
        {
            assertNotNull(in, name);
            Files.copy(in, script);
        }
        return script;
    }
}
