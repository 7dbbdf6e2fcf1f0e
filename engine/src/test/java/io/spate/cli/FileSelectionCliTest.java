package io.spate.cli;

import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code leech --select-files} and {@code --file-priority}: bad lists are usage errors (exit 2) naming the option and
 * the value, before anything is downloaded or created; {@code info} numbers the files as the lists do.
 */
class FileSelectionCliTest
{
    @TempDir
    Path tmp;
    private String torrent;
    private String dir;

    @BeforeEach
    void torrent() throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            TestData.file(tmp.resolve("src/set/f" + i + ".bin"), 20_000, i);
        }
        final Path file = tmp.resolve("set.torrent");
        Files.write(file, TorrentBuilder.of(tmp.resolve("src/set")).pieceLength(16 * 1024).build());
        torrent = file.toString();
        dir = tmp.resolve("dl").toString();
    }

    private void assertUsage(final String expected, final String... selection)
    {
        final String[] args = new String[6 + selection.length];
        System.arraycopy(new String[] {"leech", torrent, "--dir", dir, "--no-tracker", "--exit-when-done"}, 0, args,
            0, 6);
        System.arraycopy(selection, 0, args, 6, selection.length);
        final CliRun run = CliRun.of(args);
        assertEquals(2, run.exit(), run::toString);
        assertEquals("usage error: " + expected, run.err().split("\n")[0], run::toString);
        assertFalse(Files.exists(tmp.resolve("dl/set")), "files were created for a refused command");
    }

    @Test
    void garbageAndBackwardRangesAreRefusedBeforeTheTorrentIsRead()
    {
        assertUsage("--select-files: 'x' is not a file index or a range of them (like 0,2-3) in '0,x'",
            "--select-files", "0,x");
        assertUsage("--select-files: '' is not a file index or a range of them (like 0,2-3) in '1,'",
            "--select-files", "1,");
        assertUsage("--select-files: '-1' is not a file index or a range of them (like 0,2-3) in '-1'",
            "--select-files", "-1");
        assertUsage("--select-files: range '2-1' ends before it starts", "--select-files", "2-1");
        assertUsage("--file-priority: expected INDEX=PRIORITY with PRIORITY 0..7, got '1=8'", "--file-priority", "1=8");
        assertUsage("--file-priority: expected INDEX=PRIORITY with PRIORITY 0..7, got 'two'", "--file-priority", "two");
    }

    @Test
    void indexesPastTheLastFileAreRefusedNamingTheCount()
    {
        assertUsage("--select-files: file index 3 is out of range: the torrent has 3 files (indexes 0..2, as " +
            "'spate info' lists them)", "--select-files", "0,2-3");
        assertUsage("--file-priority: file index 7 is out of range: the torrent has 3 files (indexes 0..2, as " +
            "'spate info' lists them)", "--file-priority", "7=1");
    }

    @Test
    void infoListsTheIndexesTheListsTake()
    {
        final CliRun info = CliRun.of("info", torrent);
        assertEquals(0, info.exit(), info::toString);
        assertTrue(info.out().contains("      0            20000  f0.bin"), info.out());
        assertTrue(info.out().contains("      2            20000  f2.bin"), info.out());
        final CliRun help = CliRun.of("leech", "--help");
        assertTrue(help.out().contains("indexes from 0, as 'spate info' lists them"), help.toString());
    }
}
