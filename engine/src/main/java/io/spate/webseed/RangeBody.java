package io.spate.webseed;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Receives one file range of a fetch straight into its place in the fetch's array: exactly the bytes asked for, or a
 * {@link WebSeedFailure} naming what came instead. The response is checked before a byte is read (libtorrent's
 * web_peer_connection checks the same): 206 with a Content-Range of exactly the bytes asked for, or 200 when the
 * whole file was asked for; any other status, or a body in a Content-Encoding, is refused and the connection closed
 * without reading the body. A body longer than asked for is cut off and refused; a shorter one is refused.
 */
final class RangeBody implements HttpResponse.BodySubscriber<Void>
{
    /** Longest Retry-After honoured. */
    static final long MAX_RETRY_AFTER_NS = TimeUnit.MINUTES.toNanos(10);

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Fetch fetch;
    private final int at;
    private final int length;
    private final WebSeedFailure refused;
    private volatile Flow.Subscription subscription;
    private int received;

    private RangeBody(final Fetch fetch, final int at, final int length, final WebSeedFailure refused)
    {
        this.fetch = fetch;
        this.at = at;
        this.length = length;
        this.refused = refused;
    }

    /**
     * The body handler for one range: {@code fileOffset} and {@code length} within the file, {@code at} within the
     * fetch's array; {@code whole} when the range is the whole file (asked for without a Range header).
     */
    static HttpResponse.BodyHandler<Void> handler(final Fetch fetch, final long fileOffset, final int length,
        final int at, final boolean whole)
    {
        return info -> new RangeBody(fetch, at, length, check(info, fileOffset, length, whole));
    }

    /** @return why the response cannot be the range asked for, or null if it is. */
    static WebSeedFailure check(final HttpResponse.ResponseInfo info, final long fileOffset, final int length,
        final boolean whole)
    {
        final int status = info.statusCode();
        final String asked = "bytes " + fileOffset + "-" + (fileOffset + length - 1);
        if (status == 503 || status == 429)
        {
            return new WebSeedFailure("HTTP " + status + " (busy)", true,
                retryAfterNs(info.headers().firstValue("Retry-After").orElse(null)));
        }
        if (status != 206 && !(status == 200 && whole))
        {
            return new WebSeedFailure(status == 200 ? "HTTP 200 for " + asked + ": the server ignores Range" :
                "HTTP " + status + " for " + asked);
        }
        final String encoding = info.headers().firstValue("Content-Encoding").orElse("identity");
        if (!encoding.equalsIgnoreCase("identity"))
        {
            return new WebSeedFailure("Content-Encoding " + encoding + " (asked for none)");
        }
        if (status == 206)
        {
            final String range = info.headers().firstValue("Content-Range").orElse(null);
            if (range == null || !range.toLowerCase(Locale.ROOT).replace(" ", "")
                .startsWith("bytes" + fileOffset + "-" + (fileOffset + length - 1) + "/"))
            {
                return new WebSeedFailure("HTTP 206 with Content-Range " + (range == null ? "missing" :
                    "'" + (range.length() > 100 ? range.substring(0, 100) + "..." : range) + "'") + " for " + asked);
            }
        }
        final long contentLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (contentLength >= 0 && contentLength != length)
        {
            return new WebSeedFailure("Content-Length " + contentLength + " for " + asked + " (" + length +
                " bytes)");
        }
        return null;
    }

    /** Retry-After in seconds (a date is taken as "soon"), at most {@link #MAX_RETRY_AFTER_NS}; 0 if none. */
    static long retryAfterNs(final String value)
    {
        if (value == null)
        {
            return 0;
        }
        try
        {
            final long seconds = Long.parseLong(value.trim());
            return seconds <= 0 ? 0 : Math.min(TimeUnit.SECONDS.toNanos(Math.min(seconds, 1L << 30)),
                MAX_RETRY_AFTER_NS);
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        if (refused != null)
        {
            subscription.cancel(); // the connection closes: an unwanted body is never read
            done.completeExceptionally(refused);
            return;
        }
        this.subscription = subscription;
        fetch.current = this;
        final String cancelled = fetch.cancelled;
        if (cancelled != null)
        {
            cancel(cancelled);
            return;
        }
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final List<ByteBuffer> items)
    {
        if (done.isDone())
        {
            return;
        }
        for (final ByteBuffer item : items)
        {
            final int n = item.remaining();
            if (n > length - received)
            {
                cancel("body longer than the " + length + " bytes asked for");
                return;
            }
            item.get(fetch.data, at + received, n);
            received += n;
            fetch.received(n);
        }
    }

    @Override
    public void onError(final Throwable error)
    {
        done.completeExceptionally(error);
    }

    @Override
    public void onComplete()
    {
        if (received < length)
        {
            done.completeExceptionally(new WebSeedFailure("short body: " + received + " of " + length + " bytes"));
        }
        else
        {
            done.complete(null);
        }
    }

    @Override
    public CompletionStage<Void> getBody()
    {
        return done;
    }

    /** Stops receiving (any thread): the connection closes and the range fails with {@code reason}. */
    void cancel(final String reason)
    {
        final Flow.Subscription s = subscription;
        if (s != null)
        {
            s.cancel();
        }
        done.completeExceptionally(new WebSeedFailure(reason));
    }
}
