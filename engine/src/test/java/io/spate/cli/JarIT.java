package io.spate.cli;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.SourceTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real shaded jar as a process ({@code java -jar engine/target/engine.jar}): runs in Maven's integration-test
 * phase (failsafe), after package has built the jar; {@code mvn verify} runs it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JarIT
{
    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err)
    {
    }

    @Test
    void createInfoAndErrorsThroughTheJar() throws Exception
    {
        final Path root = tmp.resolve("album");
        SourceTrees.tree(root);
        final Path torrent = tmp.resolve("album.torrent");

        final Result create = jar("create", root.toString(), "-o", torrent.toString(), "-t", "http://127.0.0.1:1/a");
        assertEquals(0, create.exit(), create::toString);
        final String hash = Metainfo.load(torrent).infoHashHex();
        assertEquals(hash + "  " + torrent + "\n", create.out());
        assertTrue(create.err().contains("hashing 100.0%"), create::toString);

        final Result info = jar("info", "--json", torrent.toString());
        assertEquals(0, info.exit(), info::toString);
        assertTrue(info.out().startsWith("{\"name\":\"album\",\"info_hash\":\"" + hash + "\""), info::toString);

        Files.write(tmp.resolve("bad.torrent"), "d4:infod4:name2:..ee".getBytes(StandardCharsets.US_ASCII));
        final Result bad = jar("info", tmp.resolve("bad.torrent").toString());
        assertEquals(1, bad.exit(), bad::toString);
        assertEquals("error: " + tmp.resolve("bad.torrent") + ": info.name: path element '..' is not allowed\n",
            bad.err());

        final Result usage = jar("create", "--piece-length", "3");
        assertEquals(2, usage.exit(), usage::toString);
        assertFalse(usage.err().contains("Exception"), usage::toString);

        final Result help = jar("--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("create") && help.out().contains("info"), help::toString);
    }

    private static Result jar(final String... args) throws Exception
    {
        final Path jar = Path.of(System.getProperty("basedir", "."), "target", "engine.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "missing " + jar + ": run through mvn verify (after package)");
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).start();
        final java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> readAll(p.getErrorStream()));
        final byte[] out = readAll(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            fail(command + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(final java.io.InputStream in)
    {
        try (in)
        {
            return in.readAllBytes();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
