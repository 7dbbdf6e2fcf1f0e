package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the state dir keeps of one torrent besides its .torrent bytes and resume data: where its data lives, whether it
 * is paused, its rate limits, its files' priorities, whether it downloads in order, and (until its metadata arrives)
 * the magnet link it was added from.
 *
 * @param infoHash      hex info-hash.
 * @param dataDir       absolute data directory.
 * @param paused        stays stopped across restarts until resumed.
 * @param addedAtMs     epoch milliseconds when it was added.
 * @param uploadLimit   bytes per second, 0 for none.
 * @param downloadLimit bytes per second, 0 for none.
 * @param magnet        the magnet link while the info dictionary is still to be fetched, else null.
 * @param filePriorities each file's priority (0 skips it, 1..7), or null when every file is wanted at the default.
 * @param sequential    pieces are picked in index order (streaming) rather than rarest first.
 */
public record TorrentEntry(String infoHash, Path dataDir, boolean paused, long addedAtMs, long uploadLimit,
    long downloadLimit, String magnet, List<Integer> filePriorities, boolean sequential)
{
    public TorrentEntry
    {
        filePriorities = filePriorities == null ? null : List.copyOf(filePriorities);
    }

    public TorrentEntry(final String infoHash, final Path dataDir, final boolean paused, final long addedAtMs,
        final long uploadLimit, final long downloadLimit, final String magnet)
    {
        this(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet, null, false);
    }

    public TorrentEntry withPaused(final boolean paused)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet,
            filePriorities, sequential);
    }

    public TorrentEntry withLimits(final long upload, final long download)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, upload, download, magnet, filePriorities,
            sequential);
    }

    public TorrentEntry withoutMagnet()
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, null,
            filePriorities, sequential);
    }

    public TorrentEntry withFilePriorities(final List<Integer> priorities)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet, priorities,
            sequential);
    }

    public TorrentEntry withSequential(final boolean sequential)
    {
        return new TorrentEntry(infoHash, dataDir, paused, addedAtMs, uploadLimit, downloadLimit, magnet,
            filePriorities, sequential);
    }

    /** @return the priorities for a torrent of {@code metainfo}, or null (every file wanted, or they do not fit it). */
    public FilePriorities filePriorities(final Metainfo metainfo)
    {
        if (filePriorities == null)
        {
            return null;
        }
        try
        {
            return FilePriorities.of(filePriorities, metainfo.files().size(), "file_priorities");
        }
        catch (final IllegalArgumentException ex)
        {
            return null; // an entry edited by hand: every file is wanted rather than none started
        }
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
        if (filePriorities != null)
        {
            filePriorities.forEach(node.putArray("file_priorities")::add);
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
        List<Integer> priorities = null;
        if (node.path("file_priorities").isArray())
        {
            priorities = new ArrayList<>();
            for (final JsonNode p : node.get("file_priorities"))
            {
                priorities.add(p.asInt(FilePriorities.DEFAULT));
            }
        }
        return new TorrentEntry(node.get("info_hash").asText(), Path.of(node.get("data_dir").asText()),
            node.path("paused").asBoolean(false), node.path("added_at_ms").asLong(0),
            node.path("upload_limit").asLong(0), node.path("download_limit").asLong(0),
            magnet == null || magnet.isNull() ? null : magnet.asText(), priorities,
            node.path("sequential").asBoolean(false));
    }
}
