package io.spate.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.spate.service.Daemon;
import io.spate.service.FileSelectionUpdate;
import io.spate.service.ServiceException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/torrents/HASH/files}: GET gives the torrent's detail (its files with their index, priority and verified
 * bytes); POST {@code {"priorities":[4,0,7]}} (every file) or {@code {"priorities":{"1":0}}} (some, by index) sets
 * them, persisted and applied at once, and replies with the detail. Also reads the add request's
 * {@code file_priorities}.
 */
final class FilesRoute
{
    static final String ADD_FIELD = "file_priorities";

    private FilesRoute()
    {
    }

    static Reply handle(final Daemon daemon, final String method, final String path, final String hash,
        final FullHttpRequest request) throws Exception
    {
        return switch (method)
        {
            case "GET" -> Reply.ok(ApiRoutes.detail(daemon.get(hash)));
            case "POST" ->
            {
                final JsonNode body = ApiRoutes.jsonObject(request, List.of("priorities"));
                daemon.filePriorities(hash, FileSelectionUpdate.parse(body.get("priorities")));
                yield Reply.ok(ApiRoutes.detail(daemon.get(hash)));
            }
            default -> Reply.methodNotAllowed(method, path, "GET, POST");
        };
    }

    /** The add request's {@code file_priorities}: a JSON list of integers (checked against the torrent later). */
    static List<Integer> fromJson(final JsonNode node)
    {
        if (node == null || node.isNull())
        {
            return null;
        }
        if (!node.isArray())
        {
            throw ServiceException.badRequest(ADD_FIELD + ": must be a list of priorities 0..7, got " + node);
        }
        final List<Integer> priorities = new ArrayList<>();
        for (int i = 0; i < node.size(); i++)
        {
            if (!node.get(i).isInt())
            {
                throw ServiceException.badRequest(ADD_FIELD + "[" + i + "]: must be an integer 0..7, got " +
                    node.get(i));
            }
            priorities.add(node.get(i).asInt());
        }
        return priorities;
    }

    /** The same from a query parameter: {@code file_priorities=4,0,4}. */
    static List<Integer> fromQuery(final String value)
    {
        if (value == null)
        {
            return null;
        }
        final List<Integer> priorities = new ArrayList<>();
        final String[] items = value.split(",", -1);
        for (int i = 0; i < items.length; i++)
        {
            final String item = items[i].trim();
            if (item.isEmpty() || item.length() > 9 || !item.chars().allMatch(c -> c >= '0' && c <= '9'))
            {
                throw ServiceException.badRequest(ADD_FIELD + "[" + i + "]: must be an integer 0..7, got '" + item +
                    "'");
            }
            priorities.add(Integer.parseInt(item));
        }
        return priorities;
    }
}
