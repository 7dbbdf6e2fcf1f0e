package io.spate.metainfo;

import java.util.List;

/**
 * One file of a torrent: its validated path elements (relative to the torrent's root), its length, and its offset
 * in the torrent's byte stream. Padding files (BEP 47, attr "p") are part of the stream but never stored.
 */
public record FileEntry(List<String> path, long length, long offset, boolean padding)
{
    public FileEntry
    {
        path = List.copyOf(path);
    }

    /** @return the path elements joined with '/', for display. */
    public String displayPath()
    {
        return String.join("/", path);
    }

    public long end()
    {
        return offset + length;
    }
}
