package io.spate.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.service.ServiceJson;

import java.nio.charset.StandardCharsets;

/**
 * One API reply before it is written: status, content type, body, and for a 405 the methods allowed.
 *
 * @param status      HTTP status.
 * @param contentType the body's type.
 * @param body        the body's bytes.
 * @param allow       value of the Allow header, or null.
 */
record Reply(int status, String contentType, byte[] body, String allow)
{
    static final String JSON = "application/json";

    static Reply json(final int status, final JsonNode node)
    {
        return new Reply(status, JSON, ServiceJson.bytes(node), null);
    }

    static Reply ok(final JsonNode node)
    {
        return json(200, node);
    }

    static Reply error(final int status, final String message)
    {
        return json(status, ServiceJson.MAPPER.createObjectNode().put("status", status).put("error", message));
    }

    static Reply methodNotAllowed(final String method, final String path, final String allow)
    {
        final Reply reply = error(405, "method " + method + " is not allowed on " + path + " (allowed: " + allow + ")");
        return new Reply(405, reply.contentType(), reply.body(), allow);
    }

    static Reply text(final String contentType, final String text)
    {
        return new Reply(200, contentType, text.getBytes(StandardCharsets.UTF_8), null);
    }
}
