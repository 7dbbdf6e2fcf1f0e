package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The daemon's global settings, persisted in the state dir: rate limits in bytes per second (0 for none). They are
 * kept and reported here; the token buckets that enforce them live in the network agents.
 *
 * @param maxUploadRate   global upload limit, bytes/s.
 * @param maxDownloadRate global download limit, bytes/s.
 */
public record Settings(long maxUploadRate, long maxDownloadRate)
{
    public static final Settings DEFAULTS = new Settings(0, 0);

    public Settings
    {
        checkRate("max_upload_rate", maxUploadRate);
        checkRate("max_download_rate", maxDownloadRate);
    }

    /** @throws ServiceException (400) naming the field when a rate is negative. */
    public static void checkRate(final String field, final long rate)
    {
        if (rate < 0)
        {
            throw ServiceException.badRequest(field + ": must be 0 (no limit) or a positive number of bytes/s, got " +
                rate);
        }
    }

    public ObjectNode toJson()
    {
        return ServiceJson.MAPPER.createObjectNode()
            .put("max_upload_rate", maxUploadRate)
            .put("max_download_rate", maxDownloadRate);
    }

    /** @return these settings with the fields present in {@code patch} replaced (400 naming a bad field). */
    public Settings merge(final JsonNode patch)
    {
        return new Settings(rate(patch, "max_upload_rate", maxUploadRate),
            rate(patch, "max_download_rate", maxDownloadRate));
    }

    /** The field as a rate: absent gives {@code orElse}; not a non-negative integer is a 400 naming it. */
    public static long rate(final JsonNode node, final String field, final long orElse)
    {
        final JsonNode value = node.get(field);
        if (value == null)
        {
            return orElse;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber())
        {
            throw ServiceException.badRequest(field + ": must be an integer number of bytes/s, got " + value);
        }
        checkRate(field, value.asLong());
        return value.asLong();
    }

    static Settings decode(final byte[] bytes) throws IOException
    {
        final JsonNode node = ServiceJson.MAPPER.readTree(bytes);
        if (node == null || !node.isObject())
        {
            throw new IOException("not a JSON object");
        }
        try
        {
            return DEFAULTS.merge(node);
        }
        catch (final ServiceException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
    }
}
