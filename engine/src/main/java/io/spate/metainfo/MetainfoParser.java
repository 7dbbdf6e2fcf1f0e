package io.spate.metainfo;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeException;
import io.spate.bencode.BencodeLimits;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns a .torrent's bytes into a validated {@link Metainfo}; every error names the field at fault. */
final class MetainfoParser
{
    /** Largest piece length accepted from others' torrents (libtorrent caps at 128 MiB for creation). */
    static final int MAX_PIECE_LENGTH = 256 << 20;
    /** Files a torrent may list: bounds memory spent on a hostile file list. */
    static final int MAX_FILES = 1_000_000;
    /** Path elements per file. */
    static final int MAX_PATH_DEPTH = 64;

    /**
     * Values a .torrent may hold, as libtorrent's default {@code max_decode_tokens}: enough for ~400,000 files, and it
     * bounds the objects a hostile file of tiny values ("le" repeated) makes to ~150 MB (8,000,000 took 650 MB).
     */
    static final int MAX_VALUES = 2_000_000;

    private static final BencodeLimits LIMITS = new BencodeLimits(
        100, (int)Metainfo.MAX_TORRENT_FILE_BYTES, (int)Metainfo.MAX_TORRENT_FILE_BYTES, MAX_VALUES);

    private MetainfoParser()
    {
    }

    static Metainfo parse(final byte[] torrent)
    {
        final BValue root;
        try
        {
            root = new BencodeDecoder(LIMITS).decode(torrent, 0, torrent.length);
        }
        catch (final BencodeException ex)
        {
            throw new MetainfoException("not valid bencode: " + ex.getMessage(), ex);
        }
        final BValue.BDict top = dict(root, "torrent");
        final BValue.BDict info = dict(required(top, "info", "torrent"), "info");

        final byte[] rawInfo = java.util.Arrays.copyOfRange(torrent, info.start(), info.end());
        final byte[] infoHash = InfoHash.sha1(torrent, info.start(), info.end() - info.start());

        if (info.get("pieces") == null && info.get("meta version") != null)
        {
            throw new MetainfoException("info: v2-only torrents (BEP 52) are not supported; 'pieces' is missing");
        }
        final String name = pathElement(string(required(info, "name", "info"), "info.name").utf8(), "info.name");
        final long pieceLengthValue = integer(required(info, "piece length", "info"), "info.piece length");
        if (pieceLengthValue <= 0)
        {
            throw new MetainfoException("info.piece length: must be positive, got " + pieceLengthValue);
        }
        if (pieceLengthValue > MAX_PIECE_LENGTH)
        {
            throw new MetainfoException("info.piece length: " + pieceLengthValue + " exceeds the limit of " +
                MAX_PIECE_LENGTH);
        }
        final int pieceLength = (int)pieceLengthValue;

        final List<FileEntry> files = new ArrayList<>();
        final boolean singleFile;
        final BValue lengthValue = info.get("length");
        final BValue filesValue = info.get("files");
        if (lengthValue != null && filesValue != null)
        {
            throw new MetainfoException("info: has both 'length' and 'files'");
        }
        if (lengthValue != null)
        {
            singleFile = true;
            final long length = integer(lengthValue, "info.length");
            if (length < 0)
            {
                throw new MetainfoException("info.length: must not be negative, got " + length);
            }
            files.add(new FileEntry(List.of(name), length, 0, false));
        }
        else if (filesValue != null)
        {
            singleFile = false;
            parseFiles(list(filesValue, "info.files"), files);
        }
        else
        {
            throw new MetainfoException("info: neither 'length' nor 'files' is present");
        }
        final long totalLength = files.isEmpty() ? 0 : files.get(files.size() - 1).end();
        if (totalLength == 0)
        {
            throw new MetainfoException("info: the torrent holds no data (total length 0)");
        }

        final byte[] pieces = string(required(info, "pieces", "info"), "info.pieces").bytes();
        final long expectedPieces = (totalLength + pieceLength - 1) / pieceLength;
        if (expectedPieces * InfoHash.LENGTH > Integer.MAX_VALUE)
        {
            throw new MetainfoException("info.pieces: " + expectedPieces + " pieces is too many");
        }
        if (pieces.length != expectedPieces * InfoHash.LENGTH)
        {
            throw new MetainfoException("info.pieces: length " + pieces.length + " but " + expectedPieces +
                " pieces of " + pieceLength + " bytes over " + totalLength + " bytes need " +
                expectedPieces * InfoHash.LENGTH);
        }

        boolean isPrivate = false;
        final BValue privateValue = info.get("private");
        if (privateValue != null)
        {
            final long p = integer(privateValue, "info.private");
            if (p != 0 && p != 1)
            {
                throw new MetainfoException("info.private: must be 0 or 1, got " + p);
            }
            isPrivate = p == 1;
        }

        final UrlList.Parsed webSeeds = UrlList.parse(top.get("url-list"));
        return new Metainfo(rawInfo, infoHash, name, pieceLength, pieces, totalLength, files, singleFile,
            trackerTiers(top), isPrivate, optionalText(top, "comment"), optionalText(top, "created by"),
            webSeeds.urls(), webSeeds.warnings());
    }

    private static void parseFiles(final BValue.BList list, final List<FileEntry> out)
    {
        if (list.values().isEmpty())
        {
            throw new MetainfoException("info.files: the list is empty");
        }
        if (list.values().size() > MAX_FILES)
        {
            throw new MetainfoException("info.files: " + list.values().size() + " files exceed the limit of " +
                MAX_FILES);
        }
        final Set<List<String>> paths = new HashSet<>();
        final Set<List<String>> directories = new HashSet<>();
        long offset = 0;
        for (int i = 0; i < list.values().size(); i++)
        {
            final String field = "info.files[" + i + "]";
            final BValue.BDict file = dict(list.values().get(i), field);
            final long length = integer(required(file, "length", field), field + ".length");
            if (length < 0)
            {
                throw new MetainfoException(field + ".length: must not be negative, got " + length);
            }
            final BValue.BList pathList = list(required(file, "path", field), field + ".path");
            if (pathList.values().isEmpty())
            {
                throw new MetainfoException(field + ".path: is empty");
            }
            if (pathList.values().size() > MAX_PATH_DEPTH)
            {
                throw new MetainfoException(field + ".path: deeper than " + MAX_PATH_DEPTH + " elements");
            }
            final List<String> path = new ArrayList<>(pathList.values().size());
            for (int j = 0; j < pathList.values().size(); j++)
            {
                final String elementField = field + ".path[" + j + "]";
                path.add(pathElement(string(pathList.values().get(j), elementField).utf8(), elementField));
            }
            final boolean padding = isPadding(file);
            if (!padding)
            {
                if (!paths.add(path) || directories.contains(path))
                {
                    throw new MetainfoException(field + ".path: duplicate path '" + String.join("/", path) + "'");
                }
                for (int k = 1; k < path.size(); k++)
                {
                    final List<String> parent = List.copyOf(path.subList(0, k));
                    if (paths.contains(parent))
                    {
                        throw new MetainfoException(field + ".path: '" + String.join("/", path) +
                            "' lies under the file '" + String.join("/", parent) + "'");
                    }
                    directories.add(parent);
                }
            }
            if (Long.MAX_VALUE - offset < length)
            {
                throw new MetainfoException(field + ".length: total length overflows");
            }
            out.add(new FileEntry(path, length, offset, padding));
            offset += length;
        }
    }

    private static boolean isPadding(final BValue.BDict file)
    {
        final BValue attr = file.get("attr");
        return attr instanceof BValue.BString s && s.utf8().indexOf('p') >= 0;
    }

    /** A path element must be usable as one file name on every platform's file system, and never escape. */
    static String pathElement(final String element, final String field)
    {
        if (element.isEmpty())
        {
            throw new MetainfoException(field + ": empty path element");
        }
        if (element.equals(".") || element.equals(".."))
        {
            throw new MetainfoException(field + ": path element '" + element + "' is not allowed");
        }
        for (int i = 0; i < element.length(); i++)
        {
            final char c = element.charAt(i);
            if (c == '/' || c == '\\' || c == 0)
            {
                throw new MetainfoException(field + ": path element contains " +
                    (c == 0 ? "NUL" : "'" + c + "'") + ": '" + element.replace("\0", "\\0") + "'");
            }
        }
        if (element.length() > 255)
        {
            throw new MetainfoException(field + ": path element longer than 255 characters");
        }
        return element;
    }

    private static List<List<String>> trackerTiers(final BValue.BDict top)
    {
        final List<List<String>> tiers = new ArrayList<>();
        final BValue announceList = top.get("announce-list");
        if (announceList != null)
        {
            final BValue.BList outer = list(announceList, "announce-list");
            for (int i = 0; i < outer.values().size(); i++)
            {
                final BValue.BList inner = list(outer.values().get(i), "announce-list[" + i + "]");
                final List<String> tier = new ArrayList<>();
                for (int j = 0; j < inner.values().size(); j++)
                {
                    tier.add(string(inner.values().get(j), "announce-list[" + i + "][" + j + "]").utf8());
                }
                if (!tier.isEmpty())
                {
                    tiers.add(tier);
                }
            }
        }
        // BEP 12: when announce-list is present, announce is ignored
        if (tiers.isEmpty() && top.get("announce") != null)
        {
            tiers.add(List.of(string(top.get("announce"), "announce").utf8()));
        }
        return tiers;
    }

    private static String optionalText(final BValue.BDict top, final String key)
    {
        return top.get(key) instanceof BValue.BString s ? s.utf8() : null;
    }

    private static BValue required(final BValue.BDict dict, final String key, final String where)
    {
        final BValue value = dict.get(key);
        if (value == null)
        {
            throw new MetainfoException(where + ": missing '" + key + "'");
        }
        return value;
    }

    private static BValue.BDict dict(final BValue value, final String field)
    {
        if (value instanceof BValue.BDict d)
        {
            return d;
        }
        throw new MetainfoException(field + ": expected a dictionary, found " + kind(value));
    }

    private static BValue.BList list(final BValue value, final String field)
    {
        if (value instanceof BValue.BList l)
        {
            return l;
        }
        throw new MetainfoException(field + ": expected a list, found " + kind(value));
    }

    private static BValue.BString string(final BValue value, final String field)
    {
        if (value instanceof BValue.BString s)
        {
            return s;
        }
        throw new MetainfoException(field + ": expected a string, found " + kind(value));
    }

    private static long integer(final BValue value, final String field)
    {
        if (value instanceof BValue.BInteger i)
        {
            return i.value();
        }
        throw new MetainfoException(field + ": expected an integer, found " + kind(value));
    }

    private static String kind(final BValue value)
    {
        if (value instanceof BValue.BDict)
        {
            return "a dictionary";
        }
        if (value instanceof BValue.BList)
        {
            return "a list";
        }
        if (value instanceof BValue.BString)
        {
            return "a string";
        }
        return "an integer";
    }
}
