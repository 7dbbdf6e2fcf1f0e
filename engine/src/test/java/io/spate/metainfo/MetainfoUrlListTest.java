package io.spate.metainfo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.spate.metainfo.Torrents.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BEP 19's url-list, grouped by kind of input: valid (a string, a list), unusable (skipped with a warning naming the
 * entry), hostile (refused with an error naming the field: wrong types, too many entries, too long an entry).
 */
class MetainfoUrlListTest
{
    // ---- valid ---------------------------------------------------------------------------------------------------

    @Test
    void oneUrlAsAString()
    {
        final Metainfo m = parse("http://mirror.example/pub/file.iso");
        assertEquals(List.of("http://mirror.example/pub/file.iso"), m.urlList());
        assertEquals(List.of(), m.warnings());
    }

    @Test
    void severalUrlsAsAListInOrderEachOnce()
    {
        final Metainfo m = parse(List.of("https://a.example/", "http://b.example:8080/x/", "https://a.example/"));
        assertEquals(List.of("https://a.example/", "http://b.example:8080/x/"), m.urlList());
    }

    @Test
    void absentOrEmptyMeansNone()
    {
        assertEquals(List.of(), Metainfo.parse(encode(Torrents.multiFile())).urlList());
        assertEquals(List.of(), parse("").urlList());
        assertEquals(List.of(), parse(List.of()).urlList());
        assertEquals(List.of(), parse("").warnings());
    }

    @Test
    void rawSpacesAndLettersAreTakenAsTheCreatorMeantThem()
    {
        assertEquals(List.of("http://h.example/My Files/é.iso"), parse("http://h.example/My Files/é.iso").urlList());
    }

    // ---- unusable: skipped with a warning ------------------------------------------------------------------------

    @Test
    void otherSchemesAreSkippedWithAWarning()
    {
        final Metainfo m = parse(List.of("ftp://f.example/pub/", "http://h.example/", "magnet:?xt=x", "/relative"));
        assertEquals(List.of("http://h.example/"), m.urlList());
        assertEquals(List.of(
            "url-list[0]: web seed 'ftp://f.example/pub/' ignored: only http and https web seeds are supported",
            "url-list[2]: web seed 'magnet:?xt=x' ignored: only http and https web seeds are supported",
            "url-list[3]: web seed '/relative' ignored: only http and https web seeds are supported"),
            m.warnings());
    }

    @Test
    void noHostUserInfoFragmentOrControlCharactersAreSkipped()
    {
        final Metainfo m = parse(List.of("http:///path", "http://user:pw@h.example/", "http://h.example/#top",
            "http://h.example/a\nb", "http://[::1/"));
        assertEquals(List.of(), m.urlList());
        assertEquals(5, m.warnings().size(), m.warnings()::toString);
        assertTrue(m.warnings().get(0).endsWith("ignored: no host"), m.warnings()::toString);
        assertTrue(m.warnings().get(1).endsWith("user information in a URL is not supported"));
        assertTrue(m.warnings().get(2).endsWith("a fragment (#) is not sent to a server"));
        assertEquals("url-list[3]: web seed 'http://h.example/a\\x0ab' ignored: not a URL (control character in " +
            "URL: http://h.example/a\\x0ab)", m.warnings().get(3));
        assertTrue(m.warnings().get(4).startsWith("url-list[4]: web seed 'http://[::1/' ignored: not a URL"));
    }

    // ---- hostile: refused ----------------------------------------------------------------------------------------

    @Test
    void wrongTypes()
    {
        assertRejected(42, "url-list: expected a string or a list of strings, found an integer");
        assertRejected(Map.of("a", "b"), "url-list: expected a string or a list of strings, found a dictionary");
        assertRejected(List.of("http://h.example/", List.of("http://x/")),
            "url-list[1]: expected a string, found a list");
        assertRejected(List.of(7), "url-list[0]: expected a string, found an integer");
    }

    @Test
    void tooManyEntries()
    {
        final List<String> urls = new ArrayList<>();
        for (int i = 0; i <= UrlList.MAX_URLS; i++)
        {
            urls.add("http://h" + i + ".example/");
        }
        assertRejected(urls, "url-list: 65 entries exceed the limit of 64");
        assertEquals(UrlList.MAX_URLS, parse(urls.subList(0, UrlList.MAX_URLS)).urlList().size());
    }

    @Test
    void tooLongAnEntry()
    {
        final String url = "http://h.example/" + "a".repeat(UrlList.MAX_URL_BYTES);
        assertRejected(url, "url-list: 2065 bytes exceed the limit of 2048");
        assertRejected(List.of("http://ok.example/", url), "url-list[1]: 2065 bytes exceed the limit of 2048");
    }

    @Test
    void aMillionEntryListFailsOnTheCountNotOnMemory()
    {
        final List<String> urls = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++)
        {
            urls.add("");
        }
        assertRejected(urls, "url-list: 1000000 entries exceed the limit of 64");
    }

    private static Metainfo parse(final Object urlList)
    {
        final Map<String, Object> t = Torrents.multiFile();
        t.put("url-list", urlList);
        return Metainfo.parse(encode(t));
    }

    private static void assertRejected(final Object urlList, final String message)
    {
        final MetainfoException ex = assertThrows(MetainfoException.class, () -> parse(urlList));
        assertEquals(message, ex.getMessage());
    }
}
