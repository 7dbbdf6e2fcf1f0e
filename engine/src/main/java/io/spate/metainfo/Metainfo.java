package io.spate.metainfo;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated v1 torrent. The info-hash is the SHA-1 of the info dictionary's raw bytes exactly as they appear in
 * the file, never of a re-encoding. Immutable; share freely between threads.
 */
public final class Metainfo
{
    /** .torrent files larger than this are refused before reading (a 16 MiB-piece torrent of 10 TB is ~12 MB). */
    public static final long MAX_TORRENT_FILE_BYTES = 64L << 20;

    private final byte[] rawInfo;
    private final byte[] infoHash;
    private final String name;
    private final int pieceLength;
    private final byte[] pieceHashes;
    private final int pieceCount;
    private final long totalLength;
    private final List<FileEntry> files;
    private final boolean singleFile;
    private final List<List<String>> trackerTiers;
    private final boolean isPrivate;
    private final String comment;
    private final String createdBy;
    private final List<String> urlList;
    private final List<String> warnings;
    private final PieceLayout layout;

    Metainfo(
        final byte[] rawInfo,
        final byte[] infoHash,
        final String name,
        final int pieceLength,
        final byte[] pieceHashes,
        final long totalLength,
        final List<FileEntry> files,
        final boolean singleFile,
        final List<List<String>> trackerTiers,
        final boolean isPrivate,
        final String comment,
        final String createdBy,
        final List<String> urlList,
        final List<String> warnings)
    {
        this.rawInfo = rawInfo;
        this.infoHash = infoHash;
        this.name = name;
        this.pieceLength = pieceLength;
        this.pieceHashes = pieceHashes;
        this.pieceCount = pieceHashes.length / InfoHash.LENGTH;
        this.totalLength = totalLength;
        this.files = List.copyOf(files);
        this.singleFile = singleFile;
        this.trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        this.isPrivate = isPrivate;
        this.comment = comment;
        this.createdBy = createdBy;
        this.urlList = List.copyOf(urlList);
        this.warnings = List.copyOf(warnings);
        this.layout = new PieceLayout(this.files.stream().mapToLong(FileEntry::length).toArray(), pieceLength);
    }

    /** Parses and validates a .torrent's bytes; any problem is a {@link MetainfoException} naming the field. */
    public static Metainfo parse(final byte[] torrent)
    {
        return MetainfoParser.parse(torrent);
    }

    /** Reads and parses a .torrent file; errors name the file. */
    public static Metainfo load(final Path path) throws IOException
    {
        if (Files.isDirectory(path))
        {
            throw new FileSystemException(path.toString(), null, "is a directory, not a .torrent file");
        }
        final long size = Files.size(path);
        if (size > MAX_TORRENT_FILE_BYTES)
        {
            throw new MetainfoException(path + ": " + size + " bytes is too large for a .torrent (limit " +
                MAX_TORRENT_FILE_BYTES + ")");
        }
        try
        {
            return parse(Files.readAllBytes(path));
        }
        catch (final MetainfoException ex)
        {
            throw new MetainfoException(path + ": " + ex.getMessage(), ex);
        }
    }

    public byte[] infoHash()
    {
        return infoHash.clone();
    }

    public String infoHashHex()
    {
        return InfoHash.hex(infoHash);
    }

    /** @return the raw bencoded info dictionary as it appeared in the file (for BEP 9 metadata exchange). */
    public byte[] rawInfo()
    {
        return rawInfo.clone();
    }

    public String name()
    {
        return name;
    }

    public int pieceLength()
    {
        return pieceLength;
    }

    public int pieceCount()
    {
        return pieceCount;
    }

    /** @return the length of piece {@code index}: the piece length, except a shorter last piece. */
    public int pieceSize(final int index)
    {
        if (index == pieceCount - 1)
        {
            return (int)(totalLength - (long)index * pieceLength);
        }
        return pieceLength;
    }

    public int lastPieceLength()
    {
        return pieceSize(pieceCount - 1);
    }

    /** Copies the 20-byte SHA-1 of piece {@code index} into {@code dst} at {@code offset}. */
    public void pieceHash(final int index, final byte[] dst, final int offset)
    {
        System.arraycopy(pieceHashes, index * InfoHash.LENGTH, dst, offset, InfoHash.LENGTH);
    }

    /** @return true if the 20 bytes at {@code digest[offset..]} equal the hash of piece {@code index}. */
    public boolean pieceHashMatches(final int index, final byte[] digest, final int offset)
    {
        return java.util.Arrays.equals(
            pieceHashes, index * InfoHash.LENGTH, (index + 1) * InfoHash.LENGTH,
            digest, offset, offset + InfoHash.LENGTH);
    }

    public long totalLength()
    {
        return totalLength;
    }

    /** @return the files in stream order; a single-file torrent has one entry whose path is its name. */
    public List<FileEntry> files()
    {
        return files;
    }

    public boolean isSingleFile()
    {
        return singleFile;
    }

    /** @return announce tiers (BEP 12); a torrent with only {@code announce} has one tier with one URL. */
    public List<List<String>> trackerTiers()
    {
        return trackerTiers;
    }

    /** @return every tracker URL once, in tier order. */
    public List<String> trackers()
    {
        return trackerTiers.stream().flatMap(List::stream).distinct().toList();
    }

    public boolean isPrivate()
    {
        return isPrivate;
    }

    public String comment()
    {
        return comment;
    }

    public String createdBy()
    {
        return createdBy;
    }

    /** @return BEP 19 web seeds: the http and https URLs of {@code url-list}, in order, each once. */
    public List<String> urlList()
    {
        return urlList;
    }

    /** @return what was skipped while reading optional fields (a web seed of another scheme), one line each. */
    public List<String> warnings()
    {
        return warnings;
    }

    public PieceLayout layout()
    {
        return layout;
    }
}
