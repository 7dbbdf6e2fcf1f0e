package io.spate.system;

import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tools/spate runs seed and leech with C1 only; a torrent large enough (128 MiB by default, 0 here with
 * -Dspate.sha1.native.min.bytes=0) is hashed by the native SHA-1, a small one by the JDK's, and SPATE_JIT=c2 keeps the
 * JDK's. The started event says which was chosen, the complete event which provider hashed; bytes identical each way.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherJitIT
{
    private static final Pattern PORT = Pattern.compile("\"port\":([0-9]+)");
    private static final Map<String, String> ALWAYS_NATIVE =
        Map.of("SPATE_JAVA_OPTS", "-Dspate.sha1.native.min.bytes=0");

    @TempDir
    Path tmp;

    @Test
    void theNativeSha1HashesTorrentsOverTheThresholdAndSpateJitC2KeepsTheJdks() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("data.bin"), 6L * 1024 * 1024 + 777, 5);
        final SpateProcess create = SpateProcess.launch(tmp, "create", Map.of(), "create",
            seedDir.resolve("data.bin").toString(), "-o", tmp.resolve("data.torrent").toString());
        assertEquals(0, create.waitFor(60_000), create.stderrText());

        try (SpateProcess seed = SpateProcess.launch(tmp, "seed", ALWAYS_NATIVE, "seed", "data.torrent", "--dir",
            "seed", "--bind", "127.0.0.1", "--port", "0", "--no-tracker", "--json"))
        {
            final String started = seed.await(l -> l.contains("\"started\""), 60_000);
            assertTrue(started.contains("\"sha1\":\"native\""), started);
            final Matcher port = PORT.matcher(started);
            assertTrue(port.find(), started);
            final String peer = "127.0.0.1:" + port.group(1);
            leech(ALWAYS_NATIVE, "native", peer, "native", "AmazonCorrettoCryptoProvider", seedDir);
            leech(Map.of(), "small", peer, "jdk", "SUN", seedDir); // 6 MiB: under the default 128 MiB
            leech(Map.of("SPATE_JIT", "c2", "SPATE_JAVA_OPTS", "-Dspate.sha1.native.min.bytes=0"), "c2", peer,
                "jdk", "SUN", seedDir);
            assertEquals(0, seed.terminate(30_000), seed.stderrText());
        }
    }

    @Test
    void aBadSha1PropertyIsAUsageErrorNamingIt() throws Exception
    {
        TestData.file(tmp.resolve("seed").resolve("x.bin"), 100_000, 7);
        final SpateProcess create = SpateProcess.launch(tmp, "create", Map.of(), "create",
            tmp.resolve("seed").resolve("x.bin").toString(), "-o", tmp.resolve("x.torrent").toString());
        assertEquals(0, create.waitFor(60_000), create.stderrText());
        final String[][] cases = {{"-Dspate.sha1=openssl", "spate.sha1 must be jdk or native, not 'openssl'"},
            {"-Dspate.sha1.native.min.bytes=lots", "spate.sha1.native.min.bytes must be a number of bytes"}};
        for (final String[] c : cases)
        {
            try (SpateProcess leech = SpateProcess.launch(tmp, "bad", Map.of("SPATE_JAVA_OPTS", c[0]), "leech",
                "x.torrent", "--dir", "bad", "--no-tracker", "--exit-when-done"))
            {
                assertEquals(2, leech.waitFor(60_000), c[0] + ": " + leech.stderrText());
                assertTrue(leech.stderrText().contains(c[1]), c[0] + ": " + leech.stderrText());
                assertTrue(!leech.stderrText().contains("Exception"), leech.stderrText());
            }
        }
    }

    private void leech(final Map<String, String> env, final String name, final String peer, final String choice,
        final String provider, final Path seedDir) throws Exception
    {
        try (SpateProcess leech = SpateProcess.launch(tmp, name, env, "leech", "data.torrent", "--dir", name,
            "--bind", "127.0.0.1", "--port", "0", "--no-tracker", "--peer", peer, "--exit-when-done", "--json"))
        {
            final String started = leech.await(l -> l.contains("\"started\""), 60_000);
            assertTrue(started.contains("\"sha1\":\"" + choice + "\""), name + ": " + started);
            final String complete = leech.await(l -> l.contains("\"complete\""), 120_000);
            assertTrue(complete.contains("\"sha1_provider\":\"" + provider + "\""), name + ": " + complete);
            assertEquals(0, leech.waitFor(120_000), name + ": " + leech.lines() + leech.stderrText());
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve(name)), name);
            assertTrue(!leech.stderrText().contains("native SHA-1"), leech.stderrText());
        }
    }
}
