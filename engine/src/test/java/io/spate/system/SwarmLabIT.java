package io.spate.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The swarm lab ({@code tools/swarm-lab/lab.py}) runs its CI scenario ({@code ci-small.json}: a Spate seed and three
 * Spate leechers, each in its own network namespace on a tbf-shaped link, through opentracker in a hub namespace)
 * with this build's engine.jar. Every leecher completes with the source's bytes (compared here, byte for byte), the
 * lab records every leecher's progress and draws its chart, and no namespace or link of the run is left behind.
 * Needs root (CI runs as root), iproute2, opentracker, mktorrent, python3-libtorrent and python3-matplotlib: a
 * missing one fails the test, it is never skipped.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SwarmLabIT
{
    @TempDir
    Path tmp;

    @Test
    void ciScenarioCompletesEveryLeecherWithIdenticalBytesAndLeavesNoNamespace() throws Exception
    {
        final Path root = repositoryRoot();
        final Path out = tmp.resolve("out");
        final Path data = tmp.resolve("data");
        final Path work = tmp.resolve("work");
        Files.createDirectories(work);
        final List<String> command = List.of("/usr/bin/python3", root.resolve("tools/swarm-lab/lab.py").toString(),
            "run", root.resolve("tools/swarm-lab/scenarios/ci-small.json").toString(), "--client", "spate", "--out",
            out.toString(), "--keep");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(tmp.resolve("lab.stderr").toFile());
        builder.environment().put("SPATE_JAR", SpateProcess.JAR.toString());
        builder.environment().put("DATA_DIR", data.toString());
        builder.environment().put("SWARM_LAB_WORK", work.toString());
        final Process lab = builder.start();
        final String stdout;
        try
        {
            stdout = new String(lab.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!lab.waitFor(240, TimeUnit.SECONDS))
            {
                fail("lab.py did not finish in 240 s");
            }
        }
        finally
        {
            lab.destroy();
            lab.waitFor(30, TimeUnit.SECONDS);
        }
        final String stderr = Files.readString(tmp.resolve("lab.stderr"));
        final String line = stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("lab.py printed no result line; stderr: " + stderr));
        final String runId = field(line, "run_id");

        // nothing of the run is left: no namespace, no link (the lab makes none in the root namespace)
        final String netns = run("ip", "netns", "list");
        assertFalse(netns.contains("slab-" + runId), "namespaces left behind: " + netns);
        final String links = run("ip", "-o", "link", "show");
        assertFalse(links.contains("sl" + runId), "links left behind: " + links);

        assertEquals(0, lab.exitValue(), "lab.py exit code; result " + line + "; stderr: " + stderr);
        assertTrue(line.contains("\"ok\": true"), line);
        assertEquals("3", field(line, "leechers"), line);
        assertEquals("3", field(line, "leechers_complete"), line);

        // every leecher's file, byte for byte against the source the seed served
        final Path source = data.resolve("random-8MiB.bin");
        assertEquals(8L * 1024 * 1024, Files.size(source));
        final Path runWork = Path.of(field(line, "work"));
        for (final String peer : List.of("p1", "p2", "p3"))
        {
            final Path file = runWork.resolve(peer).resolve("data").resolve("data.bin");
            assertTrue(Files.isRegularFile(file), "leecher " + peer + " has no file " + file);
            assertEquals(-1L, Files.mismatch(source, file), "leecher " + peer + "'s bytes differ from the source");
        }

        // the lab's records: progress of every leecher over time, a completion for each, the chart, T* and ratio
        final Path runOut = Path.of(field(line, "out"));
        final List<String> progress = Files.readAllLines(runOut.resolve("progress.jsonl"));
        for (final String peer : List.of("p1", "p2", "p3"))
        {
            assertTrue(progress.stream().anyMatch(l -> l.contains("\"peer\": \"" + peer + "\"") &&
                l.contains("\"fraction\": 1.0")), "progress.jsonl has " + peer + " complete");
        }
        final String result = Files.readString(runOut.resolve("result.json"));
        assertTrue(result.contains("\"t_star\": 2.796"), "T* of ci-small (max(F/u_s, N F/(u_s + sum u_i))): " +
            result);
        assertTrue(Double.parseDouble(field(line, "ratio")) >= 1.0, "time-to-last is at least T*: " + line);
        assertTrue(Files.size(runOut.resolve("chart.png")) > 1000, "chart drawn");

        // the links' counters (linkstats.py): every peer's upload and download sampled during the swarm; the hub's
        // count of each upload against the upload shaper's own total at the end; utilization within what a link carries
        final List<String> samples = Files.readAllLines(runOut.resolve("links.jsonl"));
        for (final String peer : List.of("s0", "p1", "p2", "p3"))
        {
            for (final String dir : List.of("up", "down", "up_qdisc"))
            {
                assertTrue(samples.stream().anyMatch(l -> l.contains("\"peer\": \"" + peer + "\"") &&
                    l.contains("\"dir\": \"" + dir + "\"")), "links.jsonl has " + peer + " " + dir);
            }
        }
        final JsonNode linkSummary = new ObjectMapper().readTree(result).path("links");
        assertFalse(linkSummary.isMissingNode() || linkSummary.isNull(), "result.json has links: " + result);
        for (final String peer : List.of("s0", "p1", "p2", "p3"))
        {
            final double check = linkSummary.path("up_hub_per_qdisc").path(peer).asDouble(-1);
            assertTrue(check >= 0.95 && check <= 1.001, peer + ": hub count vs upload shaper " + check);
        }
        final double swarmUp = linkSummary.path("up_swarm_transfer").asDouble(-1);
        assertTrue(swarmUp > 0 && swarmUp <= 1.05, "swarm upload share " + swarmUp);
    }

    private static String field(final String json, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\": (\"([^\"]*)\"|[^,}]+)").matcher(json);
        assertTrue(m.find(), "no " + key + " in " + json);
        return m.group(2) != null ? m.group(2) : m.group(1).trim();
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static Path repositoryRoot()
    {
        Path dir = Path.of("").toAbsolutePath();
        final List<Path> tried = new ArrayList<>();
        while (dir != null)
        {
            if (Files.isRegularFile(dir.resolve("tools/swarm-lab/lab.py")))
            {
                return dir;
            }
            tried.add(dir);
            dir = dir.getParent();
        }
        throw new AssertionError("tools/swarm-lab/lab.py not found in " + tried);
    }
}
