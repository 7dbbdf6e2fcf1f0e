package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the state dir keeps of one torrent besides its .torrent bytes and resume data: where its data lives, whether it
 * is paused, its rate limits, whether it downloads in order, and (until its metadata arrives) the magnet link it was
 * added from.
 *
 * @param infoHash      hex info-hash.
 * @param dataDir       absolute data directory.
 * @param paused        stays stopped across restarts until resumed.
 * @param addedAtMs     epoch milliseconds when it was added.
 * @param uploadLimit   bytes per second, 0 for none.
 * @param downloadLimit bytes per second, 0 for none.
 * @param magnet        the magnet link while the info dictionary is still to be fetched, else null.
 * @param sequential    pieces are picked in index order (streaming) rather than rarest first.
 */
public record TorrentEntry(String infoHash, Path dataDir, boolean paused, long addedAtMs, long uploadLimit,
    long downloadLimit, String magnet, boolean sequential)
{
    public TorrentEntry(final String infoHash, final Path dataDir, final boolean paused, final long addedAtMs,
        final long uploadLimit, final long downloadLimit, final String magnet)
    {
        this(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet, false);
    }

    public TorrentEntry withPaused(final boolean paused)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet, sequential);
    }

    public TorrentEntry withLimits(final long upload, final long download)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, upload, download, magnet, sequential);
    }

    public TorrentEntry withoutMagnet()
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, null, sequential);
    }

    public TorrentEntry withSequential(final boolean sequential)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet, sequential);
    }

    byte[] encode()
    {
        final ObjectNode node = ServiceJson.MAPPER.createObjectNode()
            .put("info_hash", infoHash)
            .put("data_dir", dataDir.toString())
            .put("paused", paused)
            .put("added_at_ms", addedAtMs)
            .put("upload_limit", uploadLimit)
            .put("download_limit", downloadLimit)
            .put("sequential", sequential);
        if (magnet != null)
        {
            node.put("magnet", magnet);
        }
        return ServiceJson.bytes(node);
    }

    static TorrentEntry decode(final byte[] bytes) throws IOException
    {
        final JsonNode node = ServiceJson.MAPPER.readTree(bytes);
        if (node == null || !node.path("info_hash").isTextual() || !node.path("data_dir").isTextual())
        {
            throw new IOException("info_hash or data_dir missing");
        }
        final JsonNode magnet = node.get("magnet");
        return new TorrentEntry(node.get("info_hash").asText(), Path.of(node.get("data_dir").asText()),
            node.path("paused").asBoolean(false), node.path("added_at_ms").asLong(0),
            node.path("upload_limit").asLong(0), node.path("download_limit").asLong(0),
            magnet == null || magnet.isNull() ? null : magnet.asText(), node.path("sequential").asBoolean(false));
    }
}
