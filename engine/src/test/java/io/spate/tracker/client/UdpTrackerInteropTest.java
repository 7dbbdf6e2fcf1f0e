package io.spate.tracker.client;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.Swarm;
import io.spate.testing.TestData;
import io.spate.testing.ThirdPartyClient;
import io.spate.tracker.AnnounceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spate peers find each other through the real opentracker (Debian's build) over the UDP tracker protocol (BEP 15):
 * a seed and a leecher announce to udp://127.0.0.1:P only; the leecher completes with identical bytes. A missing
 * opentracker fails the test (installed by .ci/run).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UdpTrackerInteropTest
{
    @TempDir
    Path tmp;

    @Test
    void aLeecherFindsTheSeedThroughOpentrackerOverUdp() throws Exception
    {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/opentracker")), "opentracker is required (.ci/run installs)");
        TestData.file(tmp.resolve("seed/data.bin"), 3 * 1024 * 1024 + 5, 17);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(tmp.resolve("seed/data.bin")).pieceLength(64 * 1024)
            .build());
        final Path chroot = Files.createDirectories(tmp.resolve("ot"));
        Files.writeString(chroot.resolve("whitelist.txt"), meta.infoHashHex() + "\n");
        Files.setPosixFilePermissions(chroot, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        final int tcp = ThirdPartyClient.freePort();
        final int udp = ThirdPartyClient.freePort();
        final Process opentracker = new ProcessBuilder("/usr/bin/opentracker", "-i", "127.0.0.1", "-p",
            Integer.toString(tcp), "-P", Integer.toString(udp), "-d", chroot.toString(), "-w", "/whitelist.txt")
            .redirectErrorStream(true).redirectOutput(tmp.resolve("opentracker.log").toFile()).start();
        try (Swarm swarm = new Swarm())
        {
            final URI tracker = URI.create("udp://127.0.0.1:" + udp + "/announce");
            awaitUdpTracker(tracker, meta);
            swarm.start(meta, tmp.resolve("seed"), true, tracker);
            final Swarm.Peer leech = swarm.start(meta, tmp.resolve("leech"), false, tracker);
            leech.torrent().completion().get(60, TimeUnit.SECONDS);
            assertEquals(TestData.manifest(tmp.resolve("seed")), TestData.manifest(tmp.resolve("leech")));
        }
        finally
        {
            opentracker.destroy();
            opentracker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Announces (bounded, 10 s) until opentracker answers over UDP. */
    private static void awaitUdpTracker(final URI tracker, final Metainfo meta) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        final byte[] probeId = "-SP0100-udpprobe0001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        while (true)
        {
            try
            {
                new TrackerClient(Duration.ofMillis(400)).announce(tracker, AnnounceParams.of(meta.infoHash(),
                    probeId, 1, 1, AnnounceEvent.STOPPED));
                return;
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("opentracker did not answer over UDP at " + tracker, ex);
                }
                Thread.sleep(100);
            }
        }
    }
}
