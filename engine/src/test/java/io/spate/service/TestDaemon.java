package io.spate.service;

import io.spate.metainfo.TorrentBuilder;
import io.spate.service.api.ApiServer;
import io.spate.testing.TestData;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A daemon and its API on loopback for tests (one network agent, ephemeral ports, resume data written every 200 ms),
 * with a plain HTTP client to drive it and helpers to make torrents.
 */
final class TestDaemon implements AutoCloseable
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path state;
    final Daemon daemon;
    final ApiServer api;
    final String base;
    final String token;

    private TestDaemon(final Path state, final String token) throws IOException
    {
        this.state = state;
        this.token = token;
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        this.daemon = Daemon.start(new DaemonConfig(state, 0, InetAddress.getLoopbackAddress(), loopback, 1, 200),
            message -> System.err.println("daemon warning: " + message));
        try
        {
            this.api = new ApiServer(daemon, loopback, token).start();
        }
        catch (final IOException | RuntimeException ex)
        {
            daemon.close();
            throw ex;
        }
        this.base = "http://127.0.0.1:" + api.address().getPort();
    }

    static TestDaemon start(final Path state) throws IOException
    {
        return new TestDaemon(state, null);
    }

    /** A daemon whose API requires the state dir's token, as one bound off loopback does. */
    static TestDaemon startWithToken(final Path state) throws IOException
    {
        return new TestDaemon(state, new StateDir(state).apiToken());
    }

    String apiAddress()
    {
        return "127.0.0.1:" + api.address().getPort();
    }

    HttpResponse<String> send(final String method, final String path, final String contentType, final byte[] body,
        final String... headers) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(40))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null)
        {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0)
        {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(final String path, final String... headers) throws IOException, InterruptedException
    {
        return send("GET", path, null, null, headers);
    }

    HttpResponse<String> postJson(final String path, final String json) throws IOException, InterruptedException
    {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> postTorrent(final String path, final byte[] torrent) throws IOException, InterruptedException
    {
        return send("POST", path, "application/x-bittorrent", torrent);
    }

    @Override
    public void close()
    {
        api.close();
        daemon.close();
    }

    /** Writes a file of random content and returns a .torrent of it (16 KiB pieces) announcing to {@code tracker}. */
    static byte[] torrentOf(final Path file, final long length, final long seed, final String tracker)
        throws IOException
    {
        TestData.file(file, length, seed);
        final TorrentBuilder builder = TorrentBuilder.of(file).pieceLength(16 * 1024);
        if (tracker != null)
        {
            builder.tracker(tracker);
        }
        return builder.build();
    }

    /** Waits up to {@code seconds} for {@code condition}, polling every 50 ms; false if it never held. */
    /** Asserts an API error reply: the status, the same status in the JSON body, and an error naming {@code message}. */
    static void assertRefused(final HttpResponse<String> response, final int status, final String message)
        throws IOException
    {
        org.junit.jupiter.api.Assertions.assertEquals(status, response.statusCode(), response.body());
        final com.fasterxml.jackson.databind.JsonNode body = ServiceJson.MAPPER.readTree(response.body());
        org.junit.jupiter.api.Assertions.assertEquals(status, body.path("status").asInt(), response.body());
        final String error = body.path("error").asText();
        org.junit.jupiter.api.Assertions.assertTrue(error.contains(message),
            () -> "'" + error + "' should name '" + message + "'");
    }

    static boolean await(final BooleanSupplier condition, final int seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
