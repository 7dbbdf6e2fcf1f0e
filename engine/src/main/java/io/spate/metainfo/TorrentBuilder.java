package io.spate.metainfo;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeEncoder;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes a v1 .torrent from a file or a directory: scans it ({@link SourceFiles}), chooses a piece length when none
 * is given, hashes the pieces on a fixed pool of threads (one per core by default), and encodes the result with the
 * bencode package. The output always parses back with {@link Metainfo#parse}.
 *
 * <pre>{@code
 * byte[] torrent = TorrentBuilder.of(Path.of("data"))
 *     .tracker("http://127.0.0.1:6969/announce")
 *     .progress((done, total) -> ...)
 *     .build();
 * }</pre>
 * A builder is for one thread; {@link #build()} may be called again after changing options.
 */
public final class TorrentBuilder
{
    /** Smallest piece length this builder makes (and accepts): 16 KiB, the block size. */
    public static final int MIN_PIECE_LENGTH = 16 << 10;
    /** Largest piece length chosen automatically: 16 MiB. */
    public static final int MAX_AUTO_PIECE_LENGTH = 16 << 20;
    /** Largest piece length accepted when given explicitly (as libtorrent's creator). */
    public static final int MAX_PIECE_LENGTH = 128 << 20;
    /** Automatic piece length aims at no more than this many pieces (and so more than half of it). */
    public static final int TARGET_MAX_PIECES = 2000;
    /** Written as "created by". */
    public static final String CREATED_BY = "Spate/0.1";

    /** Receives hashing progress on the thread that called {@link #build()}, about every 100 ms and at the end. */
    @FunctionalInterface
    public interface Progress
    {
        Progress NONE = (bytesHashed, totalBytes) -> { };

        void hashed(long bytesHashed, long totalBytes);
    }

    private final Path root;
    private final List<String> trackers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private int pieceLength;
    private boolean isPrivate;
    private String comment;
    private String createdBy = CREATED_BY;
    private Instant creationDate;
    private boolean creationDateSet;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Progress progress = Progress.NONE;

    private TorrentBuilder(final Path root)
    {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** @return a builder for the file or directory at {@code root}. */
    public static TorrentBuilder of(final Path root)
    {
        return new TorrentBuilder(root);
    }

    /**
     * Sets the piece length; 0 (the default) chooses one from the total size with {@link #choosePieceLength}.
     *
     * @throws IllegalArgumentException unless 0 or a power of two in [16 KiB, 128 MiB].
     */
    public TorrentBuilder pieceLength(final int bytes)
    {
        if (bytes != 0)
        {
            validatePieceLength(bytes);
        }
        this.pieceLength = bytes;
        return this;
    }

    /** Adds a tracker. The first is "announce"; with several, "announce-list" holds one tier per tracker (BEP 12). */
    public TorrentBuilder tracker(final String url)
    {
        validateTracker(url);
        trackers.add(url);
        return this;
    }

    /**
     * Adds a web seed (BEP 19): an http or https URL that serves the content, written to {@code url-list} (a string
     * for one, a list for several). For a single file the URL names the file (or a folder, ending in '/', that holds
     * it); for a directory it names the folder that holds the torrent's top folder.
     *
     * @throws IllegalArgumentException unless an http or https URL with a host (see {@link UrlList#problem}).
     */
    public TorrentBuilder webSeed(final String url)
    {
        final String problem = UrlList.problem(url);
        if (problem != null)
        {
            throw new IllegalArgumentException("web seed '" + UrlList.printable(url) + "': " + problem);
        }
        if (webSeeds.size() == UrlList.MAX_URLS)
        {
            throw new IllegalArgumentException("at most " + UrlList.MAX_URLS + " web seeds");
        }
        if (!webSeeds.contains(url))
        {
            webSeeds.add(url);
        }
        return this;
    }

    /** Sets the BEP 27 private flag. */
    public TorrentBuilder privateFlag(final boolean value)
    {
        this.isPrivate = value;
        return this;
    }

    /** Sets the comment; null for none. */
    public TorrentBuilder comment(final String text)
    {
        this.comment = text;
        return this;
    }

    /** Sets "created by"; null for none. Default {@value #CREATED_BY}. */
    public TorrentBuilder createdBy(final String text)
    {
        this.createdBy = text;
        return this;
    }

    /** Sets the creation date; null leaves it out. Default: the time of {@link #build()}. */
    public TorrentBuilder creationDate(final Instant date)
    {
        this.creationDate = date;
        this.creationDateSet = true;
        return this;
    }

    /** Sets the number of hashing threads; default {@code Runtime.availableProcessors()}. */
    public TorrentBuilder threads(final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        this.threads = count;
        return this;
    }

    public TorrentBuilder progress(final Progress listener)
    {
        this.progress = Objects.requireNonNull(listener, "progress");
        return this;
    }

    /**
     * Scans, hashes and encodes.
     *
     * @return the .torrent's bytes.
     * @throws IOException if the source cannot be read, holds no data, or a name cannot go in a torrent.
     */
    public byte[] build() throws IOException
    {
        final SourceFiles source = SourceFiles.scan(root);
        if (source.totalLength() == 0)
        {
            throw new IOException(root + ": holds no data (every file is empty)");
        }
        final int chosen = pieceLength != 0 ? pieceLength : choosePieceLength(source.totalLength());
        final byte[] pieces = new PieceHasher(source.files(), chosen).hash(threads, progress);
        return encode(source, chosen, pieces);
    }

    /**
     * @return the smallest power of two in [16 KiB, 16 MiB] that cuts {@code totalLength} into at most
     * {@value #TARGET_MAX_PIECES} pieces (so between 1,000 and 2,000 pieces unless a bound is hit).
     */
    public static int choosePieceLength(final long totalLength)
    {
        int length = MIN_PIECE_LENGTH;
        while (length < MAX_AUTO_PIECE_LENGTH && (totalLength + length - 1) / length > TARGET_MAX_PIECES)
        {
            length <<= 1;
        }
        return length;
    }

    /** @throws IllegalArgumentException unless {@code bytes} is a power of two in [16 KiB, 128 MiB]. */
    public static void validatePieceLength(final long bytes)
    {
        if (bytes < MIN_PIECE_LENGTH || bytes > MAX_PIECE_LENGTH || Long.bitCount(bytes) != 1)
        {
            throw new IllegalArgumentException("piece length must be a power of two from " + MIN_PIECE_LENGTH +
                " (16 KiB) to " + MAX_PIECE_LENGTH + " (128 MiB), got " + bytes);
        }
    }

    /** @throws IllegalArgumentException unless {@code url} is an absolute http, https or udp URL with a host. */
    public static void validateTracker(final String url)
    {
        try
        {
            final URI uri = new URI(url);
            final String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) ||
                uri.getHost() == null)
            {
                throw new IllegalArgumentException("tracker must be an http, https or udp URL with a host: " + url);
            }
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalArgumentException("tracker is not a valid URL: " + ex.getMessage(), ex);
        }
    }

    private byte[] encode(final SourceFiles source, final int chosenPieceLength, final byte[] pieces)
    {
        final Map<String, BValue> info = new LinkedHashMap<>();
        info.put("name", BValue.BString.of(source.name()));
        info.put("piece length", new BValue.BInteger(chosenPieceLength));
        info.put("pieces", new BValue.BString(pieces));
        if (source.isSingleFile())
        {
            info.put("length", new BValue.BInteger(source.totalLength()));
        }
        else
        {
            final List<BValue> files = new ArrayList<>(source.files().size());
            for (final SourceFiles.Source file : source.files())
            {
                final List<BValue> path = new ArrayList<>(file.elements().size());
                for (final String element : file.elements())
                {
                    path.add(BValue.BString.of(element));
                }
                files.add(BencodeEncoder.dict(Map.of(
                    "length", new BValue.BInteger(file.length()),
                    "path", new BValue.BList(path))));
            }
            info.put("files", new BValue.BList(files));
        }
        if (isPrivate)
        {
            info.put("private", new BValue.BInteger(1));
        }

        final Map<String, BValue> top = new LinkedHashMap<>();
        top.put("info", BencodeEncoder.dict(info));
        if (!trackers.isEmpty())
        {
            top.put("announce", BValue.BString.of(trackers.get(0)));
        }
        if (trackers.size() > 1)
        {
            final List<BValue> tiers = new ArrayList<>(trackers.size());
            for (final String url : trackers)
            {
                tiers.add(new BValue.BList(List.of(BValue.BString.of(url))));
            }
            top.put("announce-list", new BValue.BList(tiers));
        }
        if (webSeeds.size() == 1)
        {
            top.put("url-list", BValue.BString.of(webSeeds.get(0)));
        }
        else if (webSeeds.size() > 1)
        {
            top.put("url-list", new BValue.BList(webSeeds.stream().map(u -> (BValue)BValue.BString.of(u)).toList()));
        }
        if (comment != null)
        {
            top.put("comment", BValue.BString.of(comment));
        }
        if (createdBy != null)
        {
            top.put("created by", BValue.BString.of(createdBy));
        }
        final Instant date = creationDateSet ? creationDate : Instant.now();
        if (date != null)
        {
            top.put("creation date", new BValue.BInteger(date.getEpochSecond()));
        }
        return BencodeEncoder.encode(BencodeEncoder.dict(top));
    }
}
