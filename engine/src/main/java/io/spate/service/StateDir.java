package io.spate.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The daemon's state directory: every write is atomic ({@link AtomicFiles}), so a {@code kill -9} at any moment
 * leaves files that load. Layout:
 * <pre>
 * api-token                  the API's secret (mode 600), made on first start
 * settings.json              global settings
 * torrents/HASH.torrent      the .torrent bytes, as added (absent while a magnet link awaits its metadata)
 * torrents/HASH.json         where its data is, paused, limits ({@link TorrentEntry}); its presence registers it
 * resume/HASH.resume         fast resume data ({@link ResumeData})
 * dht-nodes.json             the DHT node's id and the nodes it knew ({@link DhtNodesFile}), with --dht-port
 * </pre>
 */
public final class StateDir
{
    public static final String TOKEN_FILE = "api-token";

    private final Path root;
    private final Path torrents;
    private final Path resume;

    public StateDir(final Path root) throws IOException
    {
        this.root = root.toAbsolutePath().normalize();
        this.torrents = this.root.resolve("torrents");
        this.resume = this.root.resolve("resume");
        Files.createDirectories(torrents);
        Files.createDirectories(resume);
    }

    public Path root()
    {
        return root;
    }

    /** The DHT node's id and known nodes, saved for the next start. */
    public Path dhtNodesFile()
    {
        return root.resolve(DhtNodesFile.FILE);
    }

    /** The default data directory of torrents added without one. */
    public Path defaultDataDir()
    {
        return root.resolve("data");
    }

    /** @return the API token, made (32 random bytes in hex, readable by the owner only) if there is none yet. */
    public String apiToken() throws IOException
    {
        final Path file = root.resolve(TOKEN_FILE);
        if (Files.exists(file))
        {
            final String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (token.length() >= 32)
            {
                return token;
            }
        }
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final String token = HexFormat.of().formatHex(secret);
        AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return token;
    }

    /** @return the token in {@code stateDir}, for clients on the same machine. */
    public static String readToken(final Path stateDir) throws IOException
    {
        return Files.readString(stateDir.resolve(TOKEN_FILE), StandardCharsets.US_ASCII).trim();
    }

    public Settings loadSettings() throws IOException
    {
        try
        {
            return Settings.decode(Files.readAllBytes(root.resolve("settings.json")));
        }
        catch (final NoSuchFileException ex)
        {
            return Settings.DEFAULTS;
        }
        catch (final IOException ex)
        {
            throw new IOException(root.resolve("settings.json") + ": " + ex.getMessage(), ex);
        }
    }

    public void saveSettings(final Settings settings) throws IOException
    {
        AtomicFiles.write(root.resolve("settings.json"), ServiceJson.bytes(settings.toJson()));
    }

    /** Writes the .torrent (when given) before the entry, so a registered torrent always has its bytes. */
    public void saveTorrent(final TorrentEntry entry, final byte[] torrent) throws IOException
    {
        if (torrent != null)
        {
            AtomicFiles.write(torrents.resolve(entry.infoHash() + ".torrent"), torrent);
        }
        saveEntry(entry);
    }

    public void saveEntry(final TorrentEntry entry) throws IOException
    {
        AtomicFiles.write(torrents.resolve(entry.infoHash() + ".json"), entry.encode());
    }

    /** @return the .torrent bytes, or null while the torrent is a magnet link without metadata. */
    public byte[] torrentBytes(final String infoHash) throws IOException
    {
        final Path file = torrents.resolve(infoHash + ".torrent");
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    /** @return the entry files of every registered torrent ({@code torrents/HASH.json}), in no particular order. */
    public List<Path> entryFiles() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(torrents, "*.json"))
        {
            stream.forEach(files::add);
        }
        return files;
    }

    /**
     * @return the torrent an entry file registers ({@link StateRestore} skips, names and keeps one that cannot be
     * read: a person may repair it).
     * @throws IOException naming what is wrong when the file cannot be read or is not the entry its name says.
     */
    public TorrentEntry loadEntry(final Path file) throws IOException
    {
        final TorrentEntry entry = TorrentEntry.decode(Files.readAllBytes(file));
        if (!file.getFileName().toString().equals(entry.infoHash() + ".json"))
        {
            throw new IOException("info_hash " + entry.infoHash() + " is not the file's name");
        }
        return entry;
    }

    /** @return the resume data, or null when there is none or it cannot be read (the torrent is then re-checked). */
    public ResumeData loadResume(final String infoHash)
    {
        try
        {
            return ResumeData.decode(Files.readAllBytes(resume.resolve(infoHash + ".resume")));
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    public void saveResume(final ResumeData data) throws IOException
    {
        AtomicFiles.write(resume.resolve(data.infoHash() + ".resume"), data.encode());
    }

    /** Forgets a torrent: entry first (so a crash midway leaves it unregistered), then its bytes and resume data. */
    public void deleteTorrent(final String infoHash) throws IOException
    {
        Files.deleteIfExists(torrents.resolve(infoHash + ".json"));
        AtomicFiles.forceDirectory(torrents);
        Files.deleteIfExists(torrents.resolve(infoHash + ".torrent"));
        Files.deleteIfExists(resume.resolve(infoHash + ".resume"));
    }
}
