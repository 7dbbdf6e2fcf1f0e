package io.spate.metainfo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The files a torrent is made of: a single file, or every file under a directory in a deterministic order (sorted by
 * path elements, as unsigned UTF-16 strings element by element). 0-byte files are kept. Symbolic links are followed
 * only while they stay inside the root; one that leads outside it, a link loop, or anything that is neither a file
 * nor a directory is an error: nothing is skipped silently. Empty directories hold no files, so they add nothing.
 */
public final class SourceFiles
{
    /** One source file: its path on disk, its path elements inside the torrent, its length when scanned. */
    public record Source(Path file, List<String> elements, long length)
    {
        public Source
        {
            elements = List.copyOf(elements);
        }
    }

    private final String name;
    private final boolean singleFile;
    private final List<Source> files;
    private final long totalLength;

    private SourceFiles(final String name, final boolean singleFile, final List<Source> files)
    {
        this.name = name;
        this.singleFile = singleFile;
        this.files = List.copyOf(files);
        long total = 0;
        for (final Source s : files)
        {
            total += s.length();
        }
        this.totalLength = total;
    }

    /**
     * Scans {@code root}: a regular file gives a single-file torrent, a directory a multi-file one.
     *
     * @throws IOException if the root or an entry cannot be read, a link leaves the root, or a name is not usable.
     */
    public static SourceFiles scan(final Path root) throws IOException
    {
        final Path absolute = root.toAbsolutePath().normalize();
        final Path fileName = absolute.getFileName();
        if (fileName == null)
        {
            throw new IOException(root + ": cannot make a torrent of the file system root");
        }
        final String name = element(fileName.toString(), root);
        final BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        if (attributes.isRegularFile())
        {
            return new SourceFiles(name, true, List.of(new Source(absolute, List.of(name), attributes.size())));
        }
        if (!attributes.isDirectory())
        {
            throw new IOException(root + ": neither a regular file nor a directory");
        }
        final Path realRoot = absolute.toRealPath();
        final List<Source> files = new ArrayList<>();
        final Deque<Path> ancestors = new ArrayDeque<>();
        ancestors.push(realRoot);
        walk(absolute, realRoot, new ArrayList<>(), ancestors, files);
        if (files.isEmpty())
        {
            throw new IOException(root + ": the directory holds no files");
        }
        return new SourceFiles(name, false, files);
    }

    private static void walk(
        final Path directory,
        final Path realRoot,
        final List<String> prefix,
        final Deque<Path> ancestors,
        final List<Source> out) throws IOException
    {
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            for (final Path entry : stream)
            {
                entries.add(entry);
            }
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (final Path entry : entries)
        {
            final List<String> elements = new ArrayList<>(prefix);
            elements.add(element(entry.getFileName().toString(), entry));
            if (elements.size() > MetainfoParser.MAX_PATH_DEPTH)
            {
                throw new IOException(entry + ": deeper than " + MetainfoParser.MAX_PATH_DEPTH + " levels");
            }
            Path real = null;
            if (Files.isSymbolicLink(entry))
            {
                real = entry.toRealPath();
                if (!real.startsWith(realRoot))
                {
                    throw new IOException(entry + ": symbolic link leads outside " + realRoot + " (to " + real + ")");
                }
            }
            final BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
            if (attributes.isRegularFile())
            {
                out.add(new Source(entry, elements, attributes.size()));
            }
            else if (attributes.isDirectory())
            {
                final Path realDirectory = real != null ? real : entry.toRealPath(LinkOption.NOFOLLOW_LINKS);
                if (ancestors.contains(realDirectory))
                {
                    throw new IOException(entry + ": symbolic link loop (back to " + realDirectory + ")");
                }
                ancestors.push(realDirectory);
                walk(entry, realRoot, elements, ancestors, out);
                ancestors.pop();
            }
            else
            {
                throw new IOException(entry + ": neither a regular file nor a directory");
            }
        }
    }

    private static String element(final String element, final Path where) throws IOException
    {
        try
        {
            return MetainfoParser.pathElement(element, "name");
        }
        catch (final MetainfoException ex)
        {
            throw new IOException(where + ": file name cannot go in a torrent (" + ex.getMessage() + ")", ex);
        }
    }

    /** @return the torrent's name: the root's file name. */
    public String name()
    {
        return name;
    }

    public boolean isSingleFile()
    {
        return singleFile;
    }

    /** @return the files in torrent order. */
    public List<Source> files()
    {
        return files;
    }

    public long totalLength()
    {
        return totalLength;
    }
}
