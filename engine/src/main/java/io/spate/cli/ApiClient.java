package io.spate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.service.ServiceJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The client side of the daemon's API for the {@code add}, {@code ls}, ... commands: one request, its JSON reply,
 * and any refusal turned into an exception carrying the daemon's own message (exit 1 with that one line).
 */
final class ApiClient
{
    /** A remove waits for the torrent's files to close (up to 30 s on the daemon's side). */
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /**
     * @param base  {@code http://HOST:PORT}.
     * @param token sent as {@code X-Spate-Token}, or null.
     */
    ApiClient(final String base, final String token)
    {
        this.base = base;
        this.token = token;
    }

    JsonNode get(final String path) throws IOException, InterruptedException
    {
        return send(request(path).GET());
    }

    JsonNode delete(final String path) throws IOException, InterruptedException
    {
        return send(request(path).DELETE());
    }

    JsonNode post(final String path, final String contentType, final byte[] body)
        throws IOException, InterruptedException
    {
        return send(request(path).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    JsonNode put(final String path, final JsonNode body) throws IOException, InterruptedException
    {
        return send(request(path).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(ServiceJson.bytes(body))));
    }

    private HttpRequest.Builder request(final String path)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null)
        {
            builder.header("X-Spate-Token", token);
        }
        return builder;
    }

    private JsonNode send(final HttpRequest.Builder builder) throws IOException, InterruptedException
    {
        final HttpResponse<byte[]> response;
        try
        {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (final ConnectException ex)
        {
            throw new IOException("cannot reach the daemon at " + base + ": connection refused (is it running? " +
                "--api HOST:PORT)", ex);
        }
        JsonNode body;
        try
        {
            body = ServiceJson.MAPPER.readTree(response.body());
        }
        catch (final IOException ex)
        {
            body = null;
        }
        if (response.statusCode() >= 400)
        {
            final String message = body != null && body.hasNonNull("error") ? body.get("error").asText() :
                "HTTP " + response.statusCode();
            throw new IOException(message + " (HTTP " + response.statusCode() + ")");
        }
        if (body == null)
        {
            throw new IOException(base + " did not answer JSON: is it a Spate daemon?");
        }
        return body;
    }
}
