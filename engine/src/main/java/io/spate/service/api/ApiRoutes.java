package io.spate.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.spate.service.AddRequest;
import io.spate.service.Daemon;
import io.spate.service.ManagedTorrent;
import io.spate.service.ServiceException;
import io.spate.service.ServiceJson;
import io.spate.service.Settings;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The API's endpoints: JSON in, JSON out, every refusal a JSON error with its status and a message naming the
 * problem. Paths:
 * <pre>
 * GET    /api/torrents                      list                POST /api/torrents          add
 * GET    /api/torrents/HASH                 detail              DELETE /api/torrents/HASH   remove
 * POST   /api/torrents/HASH/pause|resume|reannounce             PUT  /api/torrents/HASH/limits
 * GET|POST /api/torrents/HASH/files      file priorities ({@link FilesRoute})
 * PUT    /api/torrents/HASH/sequential
 * GET    /api/stats                         GET|PUT /api/settings                GET /metrics
 * </pre>
 */
final class ApiRoutes
{
    private static final String TORRENTS = "/api/torrents";

    private final Daemon daemon;
    private final ServiceMetrics metrics;

    ApiRoutes(final Daemon daemon, final ServiceMetrics metrics)
    {
        this.daemon = daemon;
        this.metrics = metrics;
    }

    Reply handle(final FullHttpRequest request, final QueryStringDecoder uri)
    {
        final String method = request.method().name();
        final String path = uri.path();
        try
        {
            if (path.equals("/metrics"))
            {
                return method.equals("GET") ? Reply.text(ServiceMetrics.CONTENT_TYPE, metrics.scrape()) :
                    Reply.methodNotAllowed(method, path, "GET");
            }
            if (path.equals("/api/stats"))
            {
                return method.equals("GET") ? Reply.ok(StatsJson.stats(daemon)) :
                    Reply.methodNotAllowed(method, path, "GET");
            }
            if (path.equals("/api/settings"))
            {
                return settings(method, request);
            }
            if (path.equals(TORRENTS) || path.equals(TORRENTS + "/"))
            {
                return switch (method)
                {
                    case "GET" -> Reply.ok(list());
                    case "POST" -> Reply.json(201, TorrentJson.summary(daemon.add(addRequest(request, uri))));
                    default -> Reply.methodNotAllowed(method, path, "GET, POST");
                };
            }
            if (path.startsWith(TORRENTS + "/"))
            {
                return torrent(method, path, request, uri);
            }
            return Reply.error(404, "no such endpoint: " + path);
        }
        catch (final ServiceException ex)
        {
            return Reply.error(ex.status(), ex.getMessage());
        }
        catch (final Exception ex)
        {
            return Reply.error(500, ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
    }

    private Reply torrent(final String method, final String path, final FullHttpRequest request,
        final QueryStringDecoder uri) throws Exception
    {
        final String[] parts = path.substring(TORRENTS.length() + 1).split("/", -1);
        if (parts.length > 2)
        {
            return Reply.error(404, "no such endpoint: " + path);
        }
        final String hash = infoHash(parts[0]);
        if (parts.length == 1)
        {
            return switch (method)
            {
                case "GET" -> Reply.ok(detail(daemon.get(hash)));
                case "DELETE" ->
                {
                    final boolean deleteData = flag(uri, "delete_data");
                    daemon.remove(hash, deleteData);
                    yield Reply.ok(ServiceJson.MAPPER.createObjectNode().put("removed", hash)
                        .put("data_deleted", deleteData));
                }
                default -> Reply.methodNotAllowed(method, path, "GET, DELETE");
            };
        }
        final String action = parts[1];
        if (action.equals("files"))
        {
            return FilesRoute.handle(daemon, method, path, hash, request);
        }
        if (action.equals("limits"))
        {
            if (!method.equals("PUT"))
            {
                return Reply.methodNotAllowed(method, path, "PUT");
            }
            final JsonNode body = jsonObject(request, List.of("upload_limit", "download_limit"));
            final ManagedTorrent torrent = daemon.get(hash);
            return Reply.ok(TorrentJson.summary(daemon.limit(hash,
                Settings.rate(body, "upload_limit", torrent.entry().uploadLimit()),
                Settings.rate(body, "download_limit", torrent.entry().downloadLimit()))));
        }
        if (action.equals("sequential"))
        {
            return method.equals("PUT") ? Reply.ok(TorrentJson.summary(daemon.sequential(hash,
                booleanField(jsonObject(request, List.of("sequential")), "sequential", true)))) :
                Reply.methodNotAllowed(method, path, "PUT");
        }
        if (!action.equals("pause") && !action.equals("resume") && !action.equals("reannounce"))
        {
            return Reply.error(404, "no such endpoint: " + path);
        }
        if (!method.equals("POST"))
        {
            return Reply.methodNotAllowed(method, path, "POST");
        }
        switch (action)
        {
            case "pause" -> daemon.pause(hash);
            case "resume" -> daemon.resume(hash);
            default -> daemon.reannounce(hash);
        }
        return Reply.ok(TorrentJson.summary(daemon.get(hash)));
    }

    private Reply settings(final String method, final FullHttpRequest request) throws IOException
    {
        return switch (method)
        {
            case "GET" -> Reply.ok(daemon.settings().toJson());
            case "PUT" -> Reply.ok(daemon.updateSettings(daemon.settings().merge(
                jsonObject(request, List.of("max_upload_rate", "max_download_rate")))).toJson());
            default -> Reply.methodNotAllowed(method, "/api/settings", "GET, PUT");
        };
    }

    private ArrayNode list()
    {
        final ArrayNode array = ServiceJson.MAPPER.createArrayNode();
        for (final ManagedTorrent torrent : daemon.snapshot())
        {
            array.add(TorrentJson.summary(torrent));
        }
        return array;
    }

    static ObjectNode detail(final ManagedTorrent torrent) throws Exception
    {
        return TorrentJson.detail(torrent, AgentView.read(torrent.handle()));
    }

    /** The add request from a raw .torrent body (query: dir, paused) or a JSON object (path, magnet, torrent). */
    private static AddRequest addRequest(final FullHttpRequest request, final QueryStringDecoder uri)
    {
        final String type = contentType(request);
        if (type.equals("application/x-bittorrent") || type.equals("application/octet-stream"))
        {
            return new AddRequest(ByteBufUtil.getBytes(request.content()), null, null, query(uri, "dir"),
                flag(uri, "paused"), FilesRoute.fromQuery(query(uri, FilesRoute.ADD_FIELD)), flag(uri, "sequential"));
        }
        final JsonNode body = jsonObject(request, List.of("torrent", "path", "magnet", "dir", "paused",
            FilesRoute.ADD_FIELD, "sequential"));
        byte[] torrent = null;
        if (body.has("torrent"))
        {
            try
            {
                torrent = java.util.Base64.getDecoder().decode(text(body, "torrent"));
            }
            catch (final IllegalArgumentException ex)
            {
                throw ServiceException.badRequest("torrent: not base64: " + ex.getMessage());
            }
        }
        return new AddRequest(torrent, text(body, "path"), text(body, "magnet"), text(body, "dir"),
            booleanField(body, "paused", false), FilesRoute.fromJson(body.get(FilesRoute.ADD_FIELD)),
            booleanField(body, "sequential", false));
    }

    /** @return the field's value; 400 naming it when it is not a boolean, or when it is required and missing. */
    private static boolean booleanField(final JsonNode body, final String field, final boolean required)
    {
        final JsonNode node = body.get(field);
        if (node == null && !required)
        {
            return false;
        }
        if (node == null || !node.isBoolean())
        {
            throw ServiceException.badRequest(field + ": must be true or false, got " + (node == null ? "nothing" :
                node));
        }
        return node.asBoolean();
    }

    private static String text(final JsonNode body, final String field)
    {
        final JsonNode node = body.get(field);
        if (node == null || node.isNull())
        {
            return null;
        }
        if (!node.isTextual())
        {
            throw ServiceException.badRequest(field + ": must be a string, got " + node);
        }
        return node.asText();
    }

    /** The body as a JSON object with only the given fields (400 naming what is wrong otherwise). */
    static JsonNode jsonObject(final FullHttpRequest request, final List<String> fields)
    {
        final String type = contentType(request);
        if (!type.equals(Reply.JSON))
        {
            throw ServiceException.badRequest("Content-Type: must be application/json" +
                (fields.contains("torrent") ? " or application/x-bittorrent" : "") + ", got '" + type + "'");
        }
        final JsonNode node;
        try
        {
            node = ServiceJson.MAPPER.readTree(ByteBufUtil.getBytes(request.content()));
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw ServiceException.badRequest("body: not JSON: " + ex.getOriginalMessage());
        }
        catch (final IOException ex)
        {
            throw ServiceException.badRequest("body: " + ex.getMessage());
        }
        if (node == null || !node.isObject())
        {
            throw ServiceException.badRequest("body: must be a JSON object");
        }
        node.fieldNames().forEachRemaining(name ->
        {
            if (!fields.contains(name))
            {
                throw ServiceException.badRequest(name + ": unknown field (known: " + String.join(", ", fields) + ")");
            }
        });
        return node;
    }

    private static String contentType(final FullHttpRequest request)
    {
        final String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        final int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String infoHash(final String text)
    {
        if (text.length() != 40 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            throw ServiceException.badRequest("info-hash: must be 40 hex digits, got '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static String query(final QueryStringDecoder uri, final String name)
    {
        final List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean flag(final QueryStringDecoder uri, final String name)
    {
        final String value = query(uri, name);
        if (value == null || value.equals("false") || value.equals("0"))
        {
            return false;
        }
        if (value.equals("true") || value.equals("1") || value.isEmpty())
        {
            return true;
        }
        throw ServiceException.badRequest(name + ": must be true or false, got '" + value + "'");
    }
}
