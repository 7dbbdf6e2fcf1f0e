package io.spate.service;

import io.spate.magnet.MagnetLink;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.MetainfoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * A torrent to add, from exactly one source: the .torrent's bytes, a path to a .torrent on the daemon's machine, or a
 * magnet link; with its data directory (null for the state dir's default), whether it starts paused, its files'
 * priorities (null: every file at the default), and whether it downloads in order (streaming).
 */
public record AddRequest(byte[] torrent, String path, String magnet, String dataDir, boolean paused,
    List<Integer> filePriorities, boolean sequential)
{
    /** A request for every file at the default priority, picked rarest first. */
    public AddRequest(final byte[] torrent, final String path, final String magnet, final String dataDir,
        final boolean paused)
    {
        this(torrent, path, magnet, dataDir, paused, null, false);
    }

    /**
     * @return the file priorities checked against the torrent, or null when none were given.
     * @throws ServiceException 400 naming {@code file_priorities}: for a magnet link (its files are not known yet),
     *                          a count other than the torrent's files, a priority outside 0..7.
     */
    FilePriorities priorities(final Source source)
    {
        if (filePriorities == null)
        {
            return null;
        }
        if (source.metainfo() == null)
        {
            throw ServiceException.badRequest("file_priorities: a magnet link's files are not known until its " +
                "metadata arrives: set them with POST /api/torrents/HASH/files then");
        }
        try
        {
            return FilePriorities.of(filePriorities, source.metainfo().files().size(), "file_priorities");
        }
        catch (final IllegalArgumentException ex)
        {
            throw ServiceException.badRequest(ex.getMessage());
        }
    }

    /** The parsed source: the metadata and bytes of a .torrent, or a magnet link. */
    record Source(Metainfo metainfo, byte[] bytes, MagnetLink magnet)
    {
        String infoHash()
        {
            return metainfo != null ? metainfo.infoHashHex() : magnet.infoHashHex();
        }
    }

    /** @throws ServiceException 400 naming the field: no source or several, a bad torrent, a bad magnet link. */
    Source parse()
    {
        final int sources = (torrent != null ? 1 : 0) + (path != null ? 1 : 0) + (magnet != null ? 1 : 0);
        if (sources != 1)
        {
            throw ServiceException.badRequest("give exactly one of a .torrent body, \"path\" or \"magnet\" (got " +
                sources + ")");
        }
        if (magnet != null)
        {
            try
            {
                return new Source(null, null, MagnetLink.parse(magnet));
            }
            catch (final IllegalArgumentException ex)
            {
                throw ServiceException.badRequest("magnet: " + ex.getMessage());
            }
        }
        final byte[] bytes = torrent != null ? torrent : read(path);
        if (bytes.length > Metainfo.MAX_TORRENT_FILE_BYTES)
        {
            throw new ServiceException(ServiceException.TOO_LARGE, (path != null ? path : "torrent") + ": " +
                bytes.length + " bytes is too large for a .torrent");
        }
        try
        {
            return new Source(Metainfo.parse(bytes), bytes, null);
        }
        catch (final MetainfoException ex)
        {
            throw ServiceException.badRequest((path != null ? path + ": " : "torrent: ") + ex.getMessage());
        }
    }

    /** @return the data dir to use, absolute. */
    Path dataDir(final StateDir state)
    {
        if (dataDir == null)
        {
            return state.defaultDataDir();
        }
        try
        {
            final Path dir = Path.of(dataDir);
            if (!dir.isAbsolute())
            {
                throw ServiceException.badRequest("dir: must be an absolute path, got " + dataDir);
            }
            return dir.normalize();
        }
        catch (final InvalidPathException ex)
        {
            throw ServiceException.badRequest("dir: " + ex.getMessage());
        }
    }

    private static byte[] read(final String path)
    {
        try
        {
            final Path file = Path.of(path);
            if (!Files.isRegularFile(file))
            {
                throw ServiceException.badRequest("path: " + path + ": no such file");
            }
            if (Files.size(file) > Metainfo.MAX_TORRENT_FILE_BYTES)
            {
                throw new ServiceException(ServiceException.TOO_LARGE, "path: " + path + ": too large for a .torrent");
            }
            return Files.readAllBytes(file);
        }
        catch (final InvalidPathException | IOException ex)
        {
            throw ServiceException.badRequest("path: " + path + ": " + ex.getMessage());
        }
    }
}
