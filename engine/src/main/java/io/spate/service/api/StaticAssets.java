package io.spate.service.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard: three static files built into the jar (no framework), read once at start and served from memory.
 * The page polls the JSON API; it holds no data itself, so it is served without the token (the page asks for it).
 */
final class StaticAssets
{
    private static final String BASE = "/io/spate/service/web/";

    private final Map<String, Reply> assets;

    StaticAssets()
    {
        assets = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/index.html", load("index.html", "text/html; charset=utf-8"),
            "/app.js", load("app.js", "text/javascript; charset=utf-8"),
            "/style.css", load("style.css", "text/css; charset=utf-8"));
    }

    /** @return the asset at {@code path} for a GET or HEAD, or null when the path is not an asset's. */
    Reply find(final String method, final String path)
    {
        final Reply asset = assets.get(path);
        if (asset == null)
        {
            return null;
        }
        return method.equals("GET") ? asset : Reply.methodNotAllowed(method, path, "GET");
    }

    private static Reply load(final String name, final String contentType)
    {
        try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("dashboard asset " + BASE + name + " is missing from the jar");
            }
            return new Reply(200, contentType, in.readAllBytes(), null);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
