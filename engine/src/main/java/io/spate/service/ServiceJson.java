package io.spate.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of the service (thread-safe once configured): state files, API bodies and replies. */
public final class ServiceJson
{
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ServiceJson()
    {
    }

    public static byte[] bytes(final JsonNode node)
    {
        try
        {
            return MAPPER.writeValueAsBytes(node);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("a tree of plain nodes always serialises", ex);
        }
    }
}
