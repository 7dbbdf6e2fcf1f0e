package io.spate.service;

import io.spate.metainfo.FileEntry;
import io.spate.metainfo.Metainfo;
import io.spate.storage.SafePaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a torrent's files are under its data directory (as {@code TorrentStorage} lays them out: a multi-file
 * torrent's files under a directory named for it), their size and modification time for resume data, and their
 * deletion when a torrent is removed with its data. Paths go through {@link SafePaths}: nothing outside the data
 * directory is ever touched.
 */
public final class TorrentFiles
{
    private TorrentFiles()
    {
    }

    /** @return the path of each file of the torrent that holds data (padding files left out), in torrent order. */
    public static List<Path> paths(final Metainfo metainfo, final Path dataDir) throws IOException
    {
        final List<Path> paths = new ArrayList<>();
        for (final FileEntry entry : metainfo.files())
        {
            if (entry.padding())
            {
                continue;
            }
            final List<String> elements = new ArrayList<>(entry.path().size() + 1);
            if (!metainfo.isSingleFile())
            {
                elements.add(metainfo.name());
            }
            elements.addAll(entry.path());
            paths.add(SafePaths.resolve(dataDir, elements));
        }
        return paths;
    }

    /** @return each file's size and modification time now; a missing file has size -1. */
    public static List<ResumeData.FileStamp> stamps(final Metainfo metainfo, final Path dataDir) throws IOException
    {
        final List<ResumeData.FileStamp> stamps = new ArrayList<>();
        for (final Path path : paths(metainfo, dataDir))
        {
            final String name = dataDir.relativize(path).toString();
            try
            {
                final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                stamps.add(new ResumeData.FileStamp(name, attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
            }
            catch (final NoSuchFileException ex)
            {
                stamps.add(new ResumeData.FileStamp(name, -1, 0));
            }
        }
        return stamps;
    }

    /**
     * Deletes the torrent's files and its part file, then the directories they leave empty up to (not including) the
     * data dir.
     */
    public static void delete(final Metainfo metainfo, final Path dataDir) throws IOException
    {
        final Path root = dataDir.toAbsolutePath().normalize();
        Files.deleteIfExists(root.resolve(io.spate.storage.TorrentStorage.partFileName(metainfo)));
        for (final Path path : paths(metainfo, dataDir))
        {
            Files.deleteIfExists(path);
            Path parent = path.toAbsolutePath().normalize().getParent();
            while (parent != null && parent.startsWith(root) && !parent.equals(root) && isEmptyDirectory(parent))
            {
                Files.delete(parent);
                parent = parent.getParent();
            }
        }
    }

    private static boolean isEmptyDirectory(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (var entries = Files.list(dir))
        {
            return entries.findAny().isEmpty();
        }
    }
}
