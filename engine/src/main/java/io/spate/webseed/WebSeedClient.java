package io.spate.webseed;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.PieceLayout;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's HTTP client for web seeds: the JDK's {@link HttpClient} (HTTP/1.1, keep-alive, redirects followed
 * except from https to http), built on first use, with one daemon thread of its own for the response callbacks. A
 * fetch's span is cut into its files' ranges (BEP 19), asked for one after the other with Range requests and
 * received straight into the fetch's array; then the fetch goes back to the agent's thread through {@code done}.
 * Nothing here blocks, and nothing here runs on an agent's thread but {@link #start}, which only hands the work to
 * the client's thread.
 */
public final class WebSeedClient implements AutoCloseable
{
    /** Connecting to a web seed: past this, the attempt fails. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** From a request to its response's headers (a stalled body is the agent's to time out: {@link WebSeeds}). */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    static final String USER_AGENT = "Spate/0.1";

    private ExecutorService executor;
    private HttpClient http;
    private boolean closed;

    /** One range of a fetch within one file. */
    private record Range(int file, long fileOffset, int length, int at)
    {
    }

    /**
     * Builds the client now, if not yet built (a selector and a thread: the control path's work, so that an agent
     * starting a torrent's web seeds never waits for it).
     */
    public void prepare()
    {
        http();
    }

    private synchronized HttpClient http()
    {
        if (closed)
        {
            throw new IllegalStateException("web seed client closed");
        }
        if (http == null)
        {
            final AtomicInteger count = new AtomicInteger();
            executor = Executors.newFixedThreadPool(1, r ->
            {
                final Thread t = new Thread(r, "spate-webseed-" + count.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
            http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
        }
        return http;
    }

    /**
     * Starts fetching {@code fetch}'s span from its seed; {@code done} receives the fetch when it is whole or has
     * failed ({@link Fetch#failure}), on an HTTP thread. Padding files (BEP 47) are zeros and never asked for.
     */
    void start(final Fetch fetch, final PieceLayout layout, final Executor done)
    {
        final List<Range> ranges = new ArrayList<>();
        layout.forEachExtent(fetch.offset, fetch.length, WebSeedClient::addRange, ranges, null);
        final HttpClient client;
        CompletableFuture<Void> chain;
        try
        {
            client = http();
            // every request is made on the client's thread: the agent's part ends here
            chain = CompletableFuture.runAsync(() -> { }, executor);
        }
        catch (final IllegalStateException | java.util.concurrent.RejectedExecutionException ex)
        {
            fetch.failure = "web seed client closed";
            done.execute(fetch);
            return;
        }
        for (final Range range : ranges)
        {
            final FileEntry file = fetch.seed.urls().entry(range.file);
            chain = file.padding() ? chain.thenRun(() -> fetch.received(range.length)) :
                chain.thenCompose(v -> fetchRange(client, fetch, range, file));
        }
        chain.whenComplete((v, error) ->
        {
            if (error != null)
            {
                fail(fetch, error);
            }
            done.execute(fetch);
        });
    }

    private static int addRange(final List<Range> ranges, final Object unused, final int file, final long fileOffset,
        final int length, final int spanOffset)
    {
        ranges.add(new Range(file, fileOffset, length, spanOffset));
        return length;
    }

    private static CompletableFuture<Void> fetchRange(final HttpClient client, final Fetch fetch, final Range range,
        final FileEntry file)
    {
        final String cancelled = fetch.cancelled;
        if (cancelled != null)
        {
            return CompletableFuture.failedFuture(new WebSeedFailure(cancelled));
        }
        final URI uri;
        try
        {
            uri = fetch.seed.urls().file(range.file);
        }
        catch (final URISyntaxException ex)
        {
            return CompletableFuture.failedFuture(new WebSeedFailure("no URL for " + file.displayPath() + ": " +
                ex.getMessage()));
        }
        final boolean whole = range.fileOffset == 0 && range.length == file.length();
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(RESPONSE_TIMEOUT)
            .header("User-Agent", USER_AGENT);
        if (!whole)
        {
            request.header("Range", "bytes=" + range.fileOffset + "-" + (range.fileOffset + range.length - 1));
        }
        return client.sendAsync(request.build(),
                RangeBody.handler(fetch, range.fileOffset, range.length, range.at, whole))
            .thenApply(response -> (Void)null);
    }

    /** Records why the fetch failed: our own refusal as it is, anything else (I/O, timeout) by its kind and message. */
    private static void fail(final Fetch fetch, final Throwable error)
    {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException ||
            cause instanceof java.io.IOException && cause.getCause() instanceof WebSeedFailure) &&
            cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        if (cause instanceof WebSeedFailure failure)
        {
            fetch.failure = failure.getMessage();
            fetch.busy = failure.busy;
            fetch.retryAfterNs = failure.retryAfterNs;
        }
        else
        {
            String message = null;
            for (Throwable t = cause; t != null && message == null; t = t.getCause())
            {
                message = t.getMessage(); // the JDK's ConnectException says why only in its cause
            }
            fetch.failure = message != null ? cause.getClass().getSimpleName() + ": " + message :
                cause instanceof java.net.ConnectException ? "cannot connect" : cause.getClass().getSimpleName();
        }
    }

    /** Stops the response thread; fetches in flight then fail (their results go nowhere once the agents stopped). */
    @Override
    public synchronized void close()
    {
        closed = true;
        if (executor != null)
        {
            executor.shutdownNow();
        }
    }
}
