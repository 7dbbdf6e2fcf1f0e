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
 * tools/spate runs seed and leech with C1 only and pieces hashed by the native SHA-1 (the started event names the
 * provider), and SPATE_JIT=c2 keeps the JDK's; a leech either way completes with identical bytes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherJitIT
{
    private static final Pattern PORT = Pattern.compile("\"port\":([0-9]+)");

    @TempDir
    Path tmp;

    @Test
    void seedAndLeechHashWithTheNativeSha1AndSpateJitC2KeepsTheJdks() throws Exception
    {
        final Path seedDir = tmp.resolve("seed");
        TestData.file(seedDir.resolve("data.bin"), 6L * 1024 * 1024 + 777, 5);
        final SpateProcess create = SpateProcess.launch(tmp, "create", Map.of(), "create",
            seedDir.resolve("data.bin").toString(), "-o", tmp.resolve("data.torrent").toString());
        assertEquals(0, create.waitFor(60_000), create.stderrText());

        try (SpateProcess seed = SpateProcess.launch(tmp, "seed", Map.of(), "seed", "data.torrent", "--dir", "seed",
            "--bind", "127.0.0.1", "--port", "0", "--no-tracker", "--json"))
        {
            final String started = seed.await(l -> l.contains("\"started\""), 60_000);
            assertTrue(started.contains("\"sha1\":\"AmazonCorrettoCryptoProvider\""), started);
            final Matcher port = PORT.matcher(started);
            assertTrue(port.find(), started);
            final String peer = "127.0.0.1:" + port.group(1);
            leech(Map.of(), "native", peer, "AmazonCorrettoCryptoProvider", seedDir);
            leech(Map.of("SPATE_JIT", "c2"), "c2", peer, "SUN", seedDir);
            assertEquals(0, seed.terminate(30_000), seed.stderrText());
        }
    }

    private void leech(final Map<String, String> env, final String name, final String peer, final String provider,
        final Path seedDir) throws Exception
    {
        try (SpateProcess leech = SpateProcess.launch(tmp, name, env, "leech", "data.torrent", "--dir", name,
            "--bind", "127.0.0.1", "--port", "0", "--no-tracker", "--peer", peer, "--exit-when-done", "--json"))
        {
            final String started = leech.await(l -> l.contains("\"started\""), 60_000);
            assertTrue(started.contains("\"sha1\":\"" + provider + "\""), name + ": " + started);
            assertEquals(0, leech.waitFor(120_000), name + ": " + leech.lines() + leech.stderrText());
            assertEquals(TestData.manifest(seedDir), TestData.manifest(tmp.resolve(name)), name);
            assertTrue(!leech.stderrText().contains("native SHA-1"), leech.stderrText());
        }
    }
}
