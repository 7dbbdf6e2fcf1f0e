package io.spate.webseed;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BEP 19's URL of each file: single-file (the file, or a folder ending in '/'), multi-file (the torrent's folder). */
class WebSeedUrlsTest
{
    @TempDir
    Path tmp;

    @Test
    void singleFileUrlIsTheFileOrAFolderHoldingIt() throws Exception
    {
        final Metainfo m = torrent(TestData.file(tmp.resolve("my movie é.mkv"), 20_000, 1));
        assertEquals("http://h.example/dl/other-name.mkv", url("http://h.example/dl/other-name.mkv", m, 0));
        assertEquals("http://h.example/dl/my%20movie%20%C3%A9.mkv", url("http://h.example/dl/", m, 0));
        assertEquals("http://h.example/a%20b/x.mkv?token=1", url("http://h.example/a b/x.mkv?token=1", m, 0),
            "a raw space in the torrent's URL is encoded; the query stays");
    }

    @Test
    void multiFileUrlIsTheFolderHoldingTheTorrentsFolder() throws Exception
    {
        final Path root = tmp.resolve("album #1");
        TestData.file(root.resolve("a+b/c d.flac"), 20_000, 2);
        TestData.file(root.resolve("z/ü~.txt"), 10, 3);
        final Metainfo m = torrent(root);
        assertEquals("http://h.example/pub/album%20%231/a%2Bb/c%20d.flac", url("http://h.example/pub/", m, 0));
        assertEquals("http://h.example/pub/album%20%231/z/%C3%BC~.txt", url("http://h.example/pub", m, 1),
            "a missing '/' is added");
        assertEquals("https://h.example:8443/album%20%231/z/%C3%BC~.txt?k=v", url("https://h.example:8443?k=v", m, 1));
    }

    private static String url(final String base, final Metainfo m, final int file) throws Exception
    {
        return new FileUrls(base, m).file(file).toString();
    }

    private static Metainfo torrent(final Path content) throws Exception
    {
        return Metainfo.parse(TorrentBuilder.of(content).pieceLength(16 * 1024).build());
    }
}
