package io.spate.cli;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.SourceTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** create and info run in-process: outputs, exit codes 0/1/2, one-line errors naming the file and the problem. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliTest
{
    @TempDir
    Path tmp;

    @Test
    void createThenInfo() throws Exception
    {
        final Path root = tmp.resolve("album");
        SourceTrees.tree(root);
        final Path out = tmp.resolve("album.torrent");
        final CliRun create = CliRun.of("create", root.toString(), "-o", out.toString(),
            "--tracker", "http://127.0.0.1:6969/announce", "--tracker", "udp://127.0.0.1:6969",
            "--piece-length", "32K", "--private", "--comment", "made in a test");
        assertEquals(0, create.exit(), create::toString);
        final Metainfo m = Metainfo.load(out);
        assertEquals(m.infoHashHex() + "  " + out + "\n", create.out(), "stdout holds only the result line");
        assertTrue(create.err().contains("hashing 100.0%"), create::toString);
        assertFalse(create.err().contains("\r"), "not a terminal: plain lines");
        assertEquals(32768, m.pieceLength());
        assertTrue(m.isPrivate());
        assertEquals("made in a test", m.comment());
        assertEquals(List.of(List.of("http://127.0.0.1:6969/announce"), List.of("udp://127.0.0.1:6969")),
            m.trackerTiers());
        assertFalse(Files.exists(tmp.resolve("album.torrent.part")));

        final CliRun info = CliRun.of("info", out.toString());
        assertEquals(0, info.exit(), info::toString);
        assertEquals("", info.err());
        assertTrue(info.out().contains("name:         album\n"), info::toString);
        assertTrue(info.out().contains("info-hash:    " + m.infoHashHex() + "\n"), info::toString);
        assertTrue(info.out().contains("total size:   " + m.totalLength() + " bytes"), info::toString);
        assertTrue(info.out().contains("piece length: 32768 bytes (32.0 KiB)\n"), info::toString);
        assertTrue(info.out().contains("pieces:       " + m.pieceCount() + "\n"), info::toString);
        assertTrue(info.out().contains("private:      yes\n"), info::toString);
        assertTrue(info.out().contains("tier 2: udp://127.0.0.1:6969\n"), info::toString);
        assertTrue(info.out().contains("          3145805  b/c/d/big.bin\n"), info::toString);
        assertTrue(info.out().contains("                0  b/zz/empty-too\n"), info::toString);
    }

    @Test
    void infoJsonIsOneObjectOnOneLine() throws Exception
    {
        final Path file = tmp.resolve("q\"uote\td.bin");
        SourceTrees.write(file, 40_000, 5);
        final Path out = tmp.resolve("one.torrent");
        assertEquals(0, CliRun.of("create", file.toString(), "-o", out.toString(), "-t", "http://h/a").exit());
        final CliRun info = CliRun.of("info", "--json", out.toString());
        assertEquals(0, info.exit(), info::toString);
        final String hash = Metainfo.load(out).infoHashHex();
        assertEquals("{\"name\":\"q\\\"uote\\td.bin\",\"info_hash\":\"" + hash +
            "\",\"magnet\":\"magnet:?xt=urn:btih:" + hash + "&dn=q%22uote%09d.bin&tr=http%3A%2F%2Fh%2Fa\"," +
            "\"total_size\":40000," +
            "\"piece_length\":16384,\"pieces\":3,\"private\":false,\"single_file\":true,\"comment\":null," +
            "\"created_by\":\"Spate/0.1\",\"trackers\":[[\"http://h/a\"]],\"web_seeds\":[]," +
            "\"files\":[{\"path\":\"q\\\"uote\\td.bin\",\"length\":40000}]}\n", info.out());
    }

    @Test
    void hostileTorrentIsOneLineNamingTheFileAndField() throws Exception
    {
        final Path bad = tmp.resolve("bad.torrent");
        final String torrent = "d4:infod5:filesld6:lengthi1e4:pathl1:aeed6:lengthi1e4:pathl1:beed6:lengthi1e" +
            "4:pathl2:..1:xeee4:name1:n12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee";
        Files.write(bad, torrent.getBytes(StandardCharsets.ISO_8859_1));
        final CliRun run = CliRun.of("info", bad.toString());
        assertEquals(1, run.exit(), run::toString);
        assertEquals("", run.out());
        assertEquals("error: " + bad + ": info.files[2].path[0]: path element '..' is not allowed\n", run.err());

        Files.write(bad, "d4:infoi1ee trailing".getBytes(StandardCharsets.ISO_8859_1));
        final CliRun garbage = CliRun.of("info", bad.toString());
        assertEquals(1, garbage.exit());
        assertEquals("error: " + bad + ": not valid bencode: offset 11: trailing data after the top-level value " +
            "(9 bytes)\n", garbage.err());
    }

    @Test
    void runtimeErrorsExitOneWithOneLine() throws Exception
    {
        final CliRun missing = CliRun.of("info", tmp.resolve("nope.torrent").toString());
        assertEquals(1, missing.exit());
        assertEquals("error: " + tmp.resolve("nope.torrent") + ": no such file\n", missing.err());

        final CliRun noSource = CliRun.of("create", tmp.resolve("nothing").toString(), "-o",
            tmp.resolve("x.torrent").toString());
        assertEquals(1, noSource.exit());
        assertEquals("error: " + tmp.resolve("nothing") + ": no such file\n", noSource.err());

        SourceTrees.write(tmp.resolve("data/f"), 10, 1);
        final CliRun noDir = CliRun.of("create", tmp.resolve("data").toString(), "-o",
            tmp.resolve("missing-dir/x.torrent").toString());
        assertEquals(1, noDir.exit(), noDir::toString);
        final String[] lines = noDir.err().split("\n");
        assertEquals("error: " + tmp.resolve("missing-dir/x.torrent") + ": no such directory: " +
            tmp.resolve("missing-dir"), lines[lines.length - 1]);
        assertFalse(noDir.err().contains("hashing"), "fails before hashing");

        final CliRun intoDir = CliRun.of("create", tmp.resolve("data").toString(), "-o", tmp.toString());
        assertEquals(1, intoDir.exit(), intoDir::toString);
        assertEquals("error: " + tmp + ": is a directory\n", intoDir.err());

        final CliRun infoDir = CliRun.of("info", tmp.toString());
        assertEquals(1, infoDir.exit(), infoDir::toString);
        assertEquals("error: " + tmp + ": is a directory, not a .torrent file\n", infoDir.err());
    }

    @Test
    void usageErrorsExitTwo() throws Exception
    {
        SourceTrees.write(tmp.resolve("f"), 10, 1);
        final String f = tmp.resolve("f").toString();
        final String o = tmp.resolve("o.torrent").toString();
        assertUsage(CliRun.of("create", f, "-o", o, "--piece-length", "1000"),
            "usage error: piece length must be a power of two from 16384 (16 KiB) to 134217728 (128 MiB), got 1000");
        assertUsage(CliRun.of("create", f, "-o", o, "--piece-length", "12Q"),
            "usage error: Invalid value for option '--piece-length': unknown unit 'q'");
        assertUsage(CliRun.of("create", f, "-o", o, "--tracker", "nonsense"),
            "usage error: tracker must be an http, https or udp URL with a host: nonsense");
        assertUsage(CliRun.of("create", f), "usage error: Missing required option: '--output=OUT.torrent'");
        assertUsage(CliRun.of("create", f, "-o", o, "--bogus"), "usage error: Unknown option: '--bogus'");
        assertUsage(CliRun.of("info"), "usage error: Missing required parameter: 'TORRENT'");
        assertUsage(CliRun.of(), "usage error: a command is required");
        assertUsage(CliRun.of("frobnicate"),
            "usage error: unknown command 'frobnicate' (commands: create, seed, leech, tracker, info, daemon, " +
            "add, ls, rm, pause, resume, stats, files, limit, set, help)");
        assertUsage(CliRun.of("info", "a.torrent", "b.torrent"), "usage error: Unexpected argument: 'b.torrent'");
        final String d = tmp.resolve("d").toString();
        assertUsage(CliRun.of("seed", "x.torrent"), "usage error: Missing required option: '--dir=DIR'");
        assertUsage(CliRun.of("leech", "x.torrent", "--dir"), "usage error: Missing value for option '--dir=DIR'");
        assertUsage(CliRun.of("leech", "x.torrent", "--dir", d, "--port", "http"),
            "usage error: Invalid value for option '--port': 'http' is not an int");
        assertUsage(CliRun.of("leech", "x.torrent", "--dir", d, "--port", "1", "--port", "2"),
            "usage error: option '--port' should be specified only once");
        assertUsage(CliRun.of("leech", "x.torrent", "--di", d), "usage error: Unknown option: '--di'");
        assertUsage(CliRun.of("leech", "x.torrent", "--dir", d, "--progress-interval", "soon"),
            "usage error: Invalid value for option '--progress-interval': 'soon' is not a number");
        assertFalse(Files.exists(tmp.resolve("d")), "a usage error touches nothing");
        assertFalse(Files.exists(tmp.resolve("o.torrent")));
    }

    /** seed and leech start their engine beside the .torrent's parse: either failure is named, and nothing leaks. */
    @Test
    void seedAndLeechNameABadTorrentOrATakenPortAndReleaseTheEngine() throws Exception
    {
        final Path bad = tmp.resolve("bad.torrent");
        Files.write(bad, "d4:infoi1ee trailing".getBytes(StandardCharsets.ISO_8859_1));
        final int port = freePort();
        final CliRun garbage = CliRun.of("leech", bad.toString(), "--dir", tmp.resolve("d").toString(),
            "--bind", "127.0.0.1", "--port", Integer.toString(port), "--no-tracker");
        assertEquals(1, garbage.exit(), garbage::toString);
        assertEquals("error: " + bad + ": not valid bencode: offset 11: trailing data after the top-level value " +
            "(9 bytes)\n", garbage.err());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
        {
            assertEquals(port, again.getLocalPort(), "the engine started for the bad torrent closed its socket");
        }

        SourceTrees.write(tmp.resolve("data/f"), 10, 1);
        final Path good = tmp.resolve("good.torrent");
        assertEquals(0, CliRun.of("create", tmp.resolve("data/f").toString(), "-o", good.toString()).exit());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final CliRun busy = CliRun.of("seed", good.toString(), "--dir", tmp.resolve("data").toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()), "--no-tracker");
            assertEquals(1, busy.exit(), busy::toString);
            assertTrue(busy.err().startsWith("error: port " + taken.getLocalPort() + ": "), busy::toString);
            assertTrue(busy.err().toLowerCase(java.util.Locale.ROOT).contains("in use"), busy::toString);
        }
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    @Test
    void helpListsTheCommands()
    {
        final CliRun help = CliRun.of("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("create") && help.out().contains("info"), help::toString);
        final CliRun createHelp = CliRun.of("create", "--help");
        assertEquals(0, createHelp.exit());
        assertTrue(createHelp.out().contains("--piece-length=BYTES"), createHelp::toString);
    }

    @Test
    void everyCommandPrintsTheVersionAndItsOwnUsage()
    {
        final String version = CliRun.of("--version").out().trim();
        assertTrue(version.startsWith("spate "), version);
        for (final String command : new String[] {"seed", "leech", "tracker", "create", "info"})
        {
            final CliRun v = CliRun.of(command, "--version");
            assertEquals(0, v.exit(), v::toString);
            assertEquals(version, v.out().trim(), command);
            final CliRun help = CliRun.of(command, "--help");
            assertTrue(help.out().startsWith("Usage: spate " + command + " "), help::toString);
        }
    }

    private static void assertUsage(final CliRun run, final String firstLine)
    {
        assertEquals(2, run.exit(), run::toString);
        assertEquals(firstLine, run.err().split("\n")[0], run::toString);
        assertEquals("", run.out(), run::toString);
    }
}
