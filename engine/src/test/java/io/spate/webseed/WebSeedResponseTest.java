package io.spate.webseed;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a web seed's response must be before its body is read: the checks of {@link RangeBody}, by kind of answer. */
class WebSeedResponseTest
{
    @Test
    void exactlyTheRangeAskedFor()
    {
        assertNull(check(206, "bytes 100-199/5000", 100, false));
        assertNull(check(206, "Bytes 100-199/*", 100, false), "an unknown total is fine");
        assertNull(check(200, null, 0, true), "the whole file, asked for without a Range");
    }

    @Test
    void anotherRangeOrNone()
    {
        assertEquals("HTTP 206 with Content-Range 'bytes 0-99/5000' for bytes 100-199",
            check(206, "bytes 0-99/5000", 100, false).getMessage());
        assertEquals("HTTP 206 with Content-Range 'bytes 100-1999/5000' for bytes 100-199",
            check(206, "bytes 100-1999/5000", 100, false).getMessage());
        assertEquals("HTTP 206 with Content-Range missing for bytes 100-199",
            check(206, null, 100, false).getMessage());
        assertEquals("HTTP 200 for bytes 100-199: the server ignores Range", check(200, null, 100, false).getMessage());
    }

    @Test
    void errorsAndBusy()
    {
        assertEquals("HTTP 404 for bytes 100-199", check(404, null, 100, false).getMessage());
        assertEquals("HTTP 302 for bytes 100-199", check(302, null, 100, false).getMessage(),
            "a redirect the client did not follow (https to http)");
        final WebSeedFailure busy = check(503, null, 100, false);
        assertTrue(busy.busy);
        assertEquals("HTTP 503 (busy)", busy.getMessage());
        assertEquals(0, busy.retryAfterNs);
    }

    @Test
    void retryAfterIsSecondsBoundedToTenMinutes()
    {
        assertEquals(7_000_000_000L, RangeBody.retryAfterNs("7"));
        assertEquals(RangeBody.MAX_RETRY_AFTER_NS, RangeBody.retryAfterNs("999999999999"));
        assertEquals(0, RangeBody.retryAfterNs("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(0, RangeBody.retryAfterNs("-5"));
    }

    @Test
    void anEncodedOrMislengthedBody()
    {
        assertEquals("Content-Encoding gzip (asked for none)", RangeBody.check(info(206,
            Map.of("Content-Range", List.of("bytes 100-199/5000"), "Content-Encoding", List.of("gzip"))), 100, 100,
            false).getMessage());
        assertEquals("Content-Length 5000 for bytes 100-199 (100 bytes)", RangeBody.check(info(206,
            Map.of("Content-Range", List.of("bytes 100-199/5000"), "Content-Length", List.of("5000"))), 100, 100,
            false).getMessage());
    }

    private static WebSeedFailure check(final int status, final String contentRange, final long from,
        final boolean whole)
    {
        return RangeBody.check(info(status, contentRange == null ? Map.of() :
            Map.of("Content-Range", List.of(contentRange))), from, 100, whole);
    }

    private static HttpResponse.ResponseInfo info(final int status, final Map<String, List<String>> headers)
    {
        return new HttpResponse.ResponseInfo()
        {
            @Override
            public int statusCode()
            {
                return status;
            }

            @Override
            public HttpHeaders headers()
            {
                return HttpHeaders.of(headers, (k, v) -> true);
            }

            @Override
            public HttpClient.Version version()
            {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
