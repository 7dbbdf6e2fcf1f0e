package io.spate.metainfo;

import io.spate.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
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
 * Against real tools (Debian packages python3-libtorrent and mktorrent; a missing tool fails the test): a torrent
 * made by {@code create} loads in libtorrent with the same v1 info-hash and libtorrent's own hash check of the
 * original data passes for every piece; a torrent made by mktorrent loads in Spate with libtorrent's info-hash.
 * Single file, and a directory with nested folders and 0-byte files.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompatibilityTest
{
    private static final String PYTHON = "/usr/bin/python3";
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    @Test
    void singleFileFromCreatePassesLibtorrentsCheck() throws Exception
    {
        final Path data = tmp.resolve("data");
        SourceTrees.write(data.resolve("movie.bin"), (5 << 20) + 12_345, 42);
        createAndCheck(data.resolve("movie.bin"), data, List.of("movie.bin"));
    }

    @Test
    void directoryFromCreatePassesLibtorrentsCheck() throws Exception
    {
        final Path data = tmp.resolve("data");
        SourceTrees.tree(data.resolve("album"));
        createAndCheck(data.resolve("album"), data, List.of("album/a-zero", "album/b/c/d/big.bin", "album/b/c/small",
            "album/b/empty", "album/b/zz/empty-too", "album/z.txt"));
    }

    @Test
    void singleFileFromMktorrentLoadsWithLibtorrentsInfoHash() throws Exception
    {
        final Path file = tmp.resolve("movie.bin");
        SourceTrees.write(file, (2 << 20) + 999, 43);
        mktorrentThenLoad(file);
    }

    @Test
    void directoryFromMktorrentLoadsWithLibtorrentsInfoHash() throws Exception
    {
        final Path root = tmp.resolve("album");
        SourceTrees.tree(root);
        final Metainfo m = mktorrentThenLoad(root);
        assertTrue(m.files().stream().anyMatch(f -> f.length() == 0), "mktorrent kept the 0-byte files");
    }

    private void createAndCheck(final Path source, final Path savePath, final List<String> expectedPaths)
        throws Exception
    {
        final Path torrent = tmp.resolve("made.torrent");
        final CliRun create = CliRun.of("create", source.toString(), "-o", torrent.toString(),
            "--tracker", "http://127.0.0.1:1/announce", "--piece-length", "64K");
        assertEquals(0, create.exit(), create::toString);
        final Metainfo m = Metainfo.load(torrent);

        final String check = ltCheck("check", torrent.toString(), savePath.toString());
        assertEquals(m.infoHashHex(), field(check, "info_hash"), check);
        assertEquals(Integer.toString(m.pieceCount()), field(check, "num_pieces"), check);
        assertEquals(Long.toString(m.totalLength()), field(check, "total_size"), check);
        assertEquals(expectedPaths, paths(check), check);
        assertEquals("true", field(check, "checked"), check);
        assertEquals("", field(check, "error"), check);
        assertEquals("true", field(check, "seeding"), check);
        assertEquals(Integer.toString(m.pieceCount()), field(check, "pieces_passed"), check);

        // the check is real: one changed byte in the data fails exactly the piece that holds it
        final Path firstData = Files.isDirectory(source) ? source.resolve("b/c/d/big.bin") : source;
        try (RandomAccessFile f = new RandomAccessFile(firstData.toFile(), "rw"))
        {
            f.seek(100_000);
            final int b = f.read();
            f.seek(100_000);
            f.write(b ^ 0xFF);
        }
        final String corrupted = ltCheck("check", torrent.toString(), savePath.toString());
        assertEquals("true", field(corrupted, "checked"), corrupted);
        assertEquals("false", field(corrupted, "seeding"), corrupted);
        assertEquals(Integer.toString(m.pieceCount() - 1), field(corrupted, "pieces_passed"), corrupted);
        assertEquals("[" + (100_000 / m.pieceLength()) + "]", field(corrupted, "pieces_failed"), corrupted);
    }

    private Metainfo mktorrentThenLoad(final Path source) throws Exception
    {
        final Path torrent = tmp.resolve("mk.torrent");
        run(List.of("mktorrent", "-l", "16", "-a", "http://127.0.0.1:1/announce", "-o", torrent.toString(),
            source.toString()));
        final Metainfo m = Metainfo.load(torrent);
        final String info = ltCheck("info", torrent.toString());
        assertEquals(field(info, "info_hash"), m.infoHashHex(), info);
        assertEquals(field(info, "num_pieces"), Integer.toString(m.pieceCount()), info);
        assertEquals(field(info, "total_size"), Long.toString(m.totalLength()), info);
        assertEquals(1 << 16, m.pieceLength());
        final List<String> spatePaths = new ArrayList<>();
        m.files().forEach(f -> spatePaths.add((m.isSingleFile() ? "" : m.name() + "/") + f.displayPath()));
        assertEquals(paths(info), spatePaths, info);
        assertEquals(List.of(List.of("http://127.0.0.1:1/announce")), m.trackerTiers());
        return m;
    }

    private static String ltCheck(final String... args) throws Exception
    {
        final Path script = Path.of(System.getProperty("basedir", "."), "..", "tools", "clients", "lt_check.py")
            .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(script), "missing " + script);
        final List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        final String out = run(command).trim();
        assertFalse(out.isEmpty());
        return out;
    }

    /** Runs a tool with a hard timeout; a missing tool or a non-zero exit fails the test with its output. */
    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        final java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> read(p.getErrorStream()));
        final String out = read(p.getInputStream());
        if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            fail(command + " did not finish in " + TOOL_TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0)
        {
            fail(command + " exited " + p.exitValue() + ": " + out + err.join());
        }
        return out;
    }

    private static String read(final java.io.InputStream in)
    {
        try (in)
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    /** The value of a top-level field of lt_check.py's one-line JSON (strings unquoted, others verbatim). */
    private static String field(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\": (\"([^\"]*)\"|\\[[^\\]]*\\]|[^,}]+)")
            .matcher(json);
        if (!m.find())
        {
            fail("no field " + name + " in " + json);
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    private static List<String> paths(final String json)
    {
        final List<String> paths = new ArrayList<>();
        final Matcher m = Pattern.compile("\\{\"path\": \"([^\"]*)\", \"size\": \\d+\\}").matcher(json);
        while (m.find())
        {
            paths.add(m.group(1));
        }
        return paths;
    }
}
