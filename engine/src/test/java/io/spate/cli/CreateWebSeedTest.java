package io.spate.cli;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeLimits;
import io.spate.metainfo.Metainfo;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code create --web-seed URL}: url-list written as BEP 19 says (a string for one, a list for several), read back. */
class CreateWebSeedTest
{
    @TempDir
    Path tmp;

    @Test
    void oneWebSeedIsAString() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("movie.bin"), 100_000, 1);
        final Path out = tmp.resolve("one.torrent");
        final CliRun create = CliRun.of("create", file.toString(), "-o", out.toString(),
            "--web-seed", "http://127.0.0.1:8080/movie.bin");
        assertEquals(0, create.exit(), create::toString);
        assertInstanceOf(BValue.BString.class, urlListOf(out));
        assertEquals(List.of("http://127.0.0.1:8080/movie.bin"), Metainfo.load(out).urlList());
    }

    @Test
    void severalWebSeedsAreAListInOrder() throws Exception
    {
        final Path root = tmp.resolve("album");
        TestData.file(root.resolve("a.bin"), 50_000, 2);
        TestData.file(root.resolve("b/c.bin"), 70_000, 3);
        final Path out = tmp.resolve("several.torrent");
        final CliRun create = CliRun.of("create", root.toString(), "-o", out.toString(),
            "--web-seed", "https://mirror.example/pub/", "-w", "http://other.example:8000/files/");
        assertEquals(0, create.exit(), create::toString);
        final BValue value = urlListOf(out);
        assertInstanceOf(BValue.BList.class, value);
        assertEquals(List.of("https://mirror.example/pub/", "http://other.example:8000/files/"),
            Metainfo.load(out).urlList());

        final CliRun info = CliRun.of("info", out.toString());
        assertTrue(info.out().contains("web seeds:    https://mirror.example/pub/\n" +
            "              http://other.example:8000/files/\n"), info::toString);
        assertTrue(CliRun.of("info", "--json", out.toString()).out()
            .contains("\"web_seeds\":[\"https://mirror.example/pub/\",\"http://other.example:8000/files/\"]"));
    }

    @Test
    void withoutWebSeedThereIsNoUrlList() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("x.bin"), 20_000, 4);
        final Path out = tmp.resolve("none.torrent");
        assertEquals(0, CliRun.of("create", file.toString(), "-o", out.toString()).exit());
        assertEquals(null, urlListOf(out));
    }

    @Test
    void aWebSeedThatIsNotHttpIsAUsageError() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("x.bin"), 20_000, 5);
        final Path out = tmp.resolve("bad.torrent");
        final CliRun ftp = CliRun.of("create", file.toString(), "-o", out.toString(), "--web-seed", "ftp://h/x.bin");
        assertEquals(2, ftp.exit(), ftp::toString);
        assertTrue(ftp.err().contains("web seed 'ftp://h/x.bin': only http and https web seeds are supported"),
            ftp::toString);
        final CliRun noHost = CliRun.of("create", file.toString(), "-o", out.toString(), "--web-seed", "http:/x");
        assertEquals(2, noHost.exit(), noHost::toString);
        assertTrue(noHost.err().contains("web seed 'http:/x': no host"), noHost::toString);
        assertFalse(Files.exists(out), "nothing written");
    }

    private static BValue urlListOf(final Path torrent) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(torrent);
        final BValue.BDict top = (BValue.BDict)new BencodeDecoder(BencodeLimits.DEFAULT).decode(bytes, 0,
            bytes.length);
        return top.get("url-list");
    }
}
