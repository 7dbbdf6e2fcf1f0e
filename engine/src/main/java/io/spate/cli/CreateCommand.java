package io.spate.cli;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/** {@code create PATH -o OUT.torrent}: makes a v1 torrent of a file or a directory, hashing on all cores. */
final class CreateCommand implements CliCommand
{
    @Override
    public String name()
    {
        return "create";
    }

    @Override
    public String summary()
    {
        return "Make a .torrent (BitTorrent v1) of a file or a directory.";
    }

    @Override
    public List<String> details()
    {
        return List.of("PATH: the file or directory to share.",
            "Prints the info-hash and the output path on stdout; progress goes to stderr.");
    }

    @Override
    public List<String> positionals()
    {
        return List.of("PATH");
    }

    @Override
    public Options options()
    {
        return new Options()
            .addOption(valued("o", "output", "OUT.torrent", "Where to write the .torrent (replaced if it exists). " +
                "Required."))
            .addOption(valued("t", "tracker", "URL", "Tracker announce URL; repeat for more (one BEP 12 tier each; " +
                "the first is 'announce')."))
            .addOption(valued("p", "piece-length", "BYTES", "Piece length: a power of two from 16K to 128M " +
                "(suffixes K, M). Default: chosen from the total size for 1,000-2,000 pieces, 16 KiB to 16 MiB."))
            .addOption(valued("w", "web-seed", "URL", "Web seed (BEP 19, url-list): an http(s) URL serving the " +
                "content; repeat for more. A single file: the file's URL (or its folder's, ending in '/'); a " +
                "directory: the URL of the folder holding it."))
            .addOption(flag("private", "Set the private flag (BEP 27): peers only from the tracker."))
            .addOption(valued("c", "comment", "TEXT", "Free-text comment."))
            .addOption(valued("threads", "N", "Hashing threads (default: one per core)."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        final Path source = args.positionalPath(0, "PATH");
        final Path output = args.requiredPath("output");
        final Long pieceLength = args.size("piece-length");
        final Integer threads = args.integer("threads");
        final TorrentBuilder builder = TorrentBuilder.of(source).privateFlag(args.flag("private"))
            .comment(args.string("comment"));
        try
        {
            if (pieceLength != null)
            {
                TorrentBuilder.validatePieceLength(pieceLength);
                builder.pieceLength(pieceLength.intValue());
            }
            for (final String url : args.strings("tracker"))
            {
                builder.tracker(url);
            }
            for (final String url : args.strings("web-seed"))
            {
                builder.webSeed(url);
            }
            if (threads != null)
            {
                builder.threads(threads);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        checkOutput(output);
        builder.progress(new ProgressLine(err, ProgressLine.isTerminal()));

        final byte[] torrent = builder.build();
        final Metainfo metainfo = Metainfo.parse(torrent); // never fails for our own output; checks it anyway
        write(output, torrent);

        out.println(metainfo.infoHashHex() + "  " + output);
        out.flush();
        err.println("created " + output + ": " + metainfo.files().size() + " file(s), " +
            Units.bytes(metainfo.totalLength()) + ", " + metainfo.pieceCount() + " pieces of " +
            Units.bytes(metainfo.pieceLength()));
        err.flush();
        return Main.EXIT_OK;
    }

    /** Fails before hashing (which may take minutes) when the output cannot be written where asked. */
    private static void checkOutput(final Path output) throws FileSystemException
    {
        final Path absolute = output.toAbsolutePath();
        final Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent))
        {
            throw new FileSystemException(output.toString(), null, "no such directory: " + parent);
        }
        if (Files.isDirectory(absolute))
        {
            throw new FileSystemException(output.toString(), null, "is a directory");
        }
    }

    /** Writes next to the target then moves it in place, so a failed run never leaves half a .torrent. */
    private static void write(final Path output, final byte[] torrent) throws java.io.IOException
    {
        final Path absolute = output.toAbsolutePath();
        final Path temp = absolute.resolveSibling(absolute.getFileName() + ".part");
        Files.write(temp, torrent);
        try
        {
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final java.io.IOException ex)
        {
            Files.deleteIfExists(temp);
            throw ex;
        }
    }
}
