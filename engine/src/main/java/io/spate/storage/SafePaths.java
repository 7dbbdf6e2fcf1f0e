package io.spate.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a torrent's file paths under the download directory and refuses anything that would land outside it:
 * path elements are validated by the metainfo parser, and here the resolved path is checked once more, including
 * symbolic links already present on disk, so no torrent can write outside its directory.
 */
public final class SafePaths
{
    private SafePaths()
    {
    }

    /**
     * @param root     the download directory (must exist).
     * @param elements the file's path elements, the torrent name first for multi-file torrents.
     * @return the absolute path inside root.
     */
    public static Path resolve(final Path root, final List<String> elements) throws IOException
    {
        final Path realRoot = root.toRealPath();
        Path path = realRoot;
        for (final String element : elements)
        {
            if (element.isEmpty() || element.equals(".") || element.equals("..") || element.indexOf('/') >= 0 ||
                element.indexOf('\\') >= 0 || element.indexOf('\0') >= 0)
            {
                throw new StorageException("unsafe path element '" + element + "' in " + String.join("/", elements));
            }
            path = path.resolve(element);
            if (!path.normalize().startsWith(realRoot))
            {
                throw new StorageException(String.join("/", elements) + ": resolves outside " + realRoot);
            }
            if (Files.isSymbolicLink(path))
            {
                final Path target = path.toRealPath();
                if (!target.startsWith(realRoot))
                {
                    throw new StorageException(path + ": symbolic link leads outside " + realRoot);
                }
            }
        }
        return path;
    }

    /** Creates the parent directories of {@code file}, checking again that they are real directories inside root. */
    public static void createParents(final Path root, final Path file) throws IOException
    {
        final Path parent = file.getParent();
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(root.toRealPath()))
        {
            throw new StorageException(parent + ": lies outside " + root);
        }
    }
}
