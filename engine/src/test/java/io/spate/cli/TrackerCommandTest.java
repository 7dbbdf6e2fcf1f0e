package io.spate.cli;

import io.spate.tracker.AnnounceEvent;
import io.spate.tracker.client.AnnounceParams;
import io.spate.tracker.client.AnnounceResponse;
import io.spate.tracker.client.TrackerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class TrackerCommandTest
{
    @TempDir
    Path tmp;

    private static int run(final StringWriter err, final String... args)
    {
        return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    @Test
    void badFlagsExitTwoWithOneLine()
    {
        for (final String[] args : List.of(
            new String[] {"tracker", "--port", "http"},
            new String[] {"tracker", "--port", "70000"},
            new String[] {"tracker", "--interval", "0"},
            new String[] {"tracker", "--bind", "tracker.example.org"},
            new String[] {"tracker", "--no-such-flag"}))
        {
            final StringWriter err = new StringWriter();
            assertEquals(2, run(err, args), String.join(" ", args));
            assertTrue(err.toString().startsWith("usage error: "), err.toString());
        }
    }

    @Test
    void badWhitelistIsARuntimeErrorNamingTheLine() throws Exception
    {
        final Path list = tmp.resolve("whitelist.txt");
        Files.writeString(list, "# comment\n" + "ab".repeat(20) + "\nnot-a-hash\n");
        final StringWriter err = new StringWriter();
        assertEquals(1, run(err, "tracker", "--port", "0", "--whitelist", list.toString()));
        assertEquals("error: " + list + ":3: expected a 40-character hex info-hash", err.toString().strip());

        final StringWriter missing = new StringWriter();
        assertEquals(1, run(missing, "tracker", "--whitelist", tmp.resolve("none.txt").toString()));
        assertEquals("error: " + tmp.resolve("none.txt") + ": no such file", missing.toString().strip());
    }

    @Test
    void servesUntilSigtermThenExitsZero() throws Exception
    {
        final Path list = tmp.resolve("whitelist.txt");
        Files.writeString(list, "01".repeat(20) + "\n");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process p = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "tracker", "--bind", "127.0.0.1",
            "--bind", "::1", "--port", "0", "--interval", "30", "--whitelist", list.toString(), "--json")
            .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
            final String started = out.readLine();
            assertTrue(started != null && started.startsWith("{\"event\":\"started\""), started + " / " +
                Files.readString(tmp.resolve("stderr.txt")));
            final Matcher m = Pattern.compile("\"port\":(\\d+)").matcher(started);
            assertTrue(m.find(), started);
            assertTrue(started.contains("\"127.0.0.1:" + m.group(1) + "\",\"[::1]:" + m.group(1) + "\""), started);

            final byte[] hash = new byte[20];
            Arrays.fill(hash, (byte)1);
            final AnnounceResponse r = new TrackerClient().announce(URI.create("http://[::1]:" + m.group(1) +
                "/announce"), AnnounceParams.of(hash, new byte[20], 6881, 0, AnnounceEvent.STARTED));
            assertEquals(30, r.intervalSeconds());
            assertEquals(1, r.complete());

            // SIGTERM by pid (Process.destroy() would also close our end of its stdout)
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "tracker did not stop on SIGTERM");
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("stderr.txt")));
            assertEquals("{\"event\":\"stopped\"}", out.readLine());
        }
        finally
        {
            if (p.isAlive())
            {
                p.destroyForcibly();
            }
        }
    }
}
