package io.spate.cli;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code create PATH -o OUT.torrent}: makes a v1 torrent of a file or a directory, hashing on all cores. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Make a .torrent (BitTorrent v1) of a file or a directory.",
        "Prints the info-hash and the output path on stdout; progress goes to stderr."})
public final class CreateCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "File or directory to share.")
    Path source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.torrent",
        description = "Where to write the .torrent (replaced if it exists).")
    Path output;

    @Option(names = {"-t", "--tracker"}, paramLabel = "URL",
        description = "Tracker announce URL; repeat for more (one BEP 12 tier each; the first is 'announce').")
    List<String> trackers = new ArrayList<>();

    @Option(names = {"-p", "--piece-length"}, paramLabel = "BYTES", converter = Sizes.Converter.class,
        description = "Piece length: a power of two from 16K to 128M (suffixes K, M). Default: chosen from the " +
            "total size for 1,000-2,000 pieces, 16 KiB to 16 MiB.")
    Long pieceLength;

    @Option(names = "--private", description = "Set the private flag (BEP 27): peers only from the tracker.")
    boolean isPrivate;

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", description = "Free-text comment.")
    String comment;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per core).")
    Integer threads;

    @Override
    public Integer call() throws Exception
    {
        final CommandLine cli = spec.commandLine();
        final TorrentBuilder builder = TorrentBuilder.of(source).privateFlag(isPrivate).comment(comment);
        try
        {
            if (pieceLength != null)
            {
                TorrentBuilder.validatePieceLength(pieceLength);
                builder.pieceLength(pieceLength.intValue());
            }
            for (final String url : trackers)
            {
                builder.tracker(url);
            }
            if (threads != null)
            {
                builder.threads(threads);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(cli, ex.getMessage(), ex);
        }
        checkOutput();
        final PrintWriter err = cli.getErr();
        builder.progress(new ProgressLine(err, ProgressLine.isTerminal()));

        final byte[] torrent = builder.build();
        final Metainfo metainfo = Metainfo.parse(torrent); // never fails for our own output; checks it anyway
        write(torrent);

        final PrintWriter out = cli.getOut();
        out.println(metainfo.infoHashHex() + "  " + output);
        out.flush();
        err.println("created " + output + ": " + metainfo.files().size() + " file(s), " +
            Units.bytes(metainfo.totalLength()) + ", " + metainfo.pieceCount() + " pieces of " +
            Units.bytes(metainfo.pieceLength()));
        err.flush();
        return Main.EXIT_OK;
    }

    /** Fails before hashing (which may take minutes) when the output cannot be written where asked. */
    private void checkOutput() throws FileSystemException
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
    private void write(final byte[] torrent) throws java.io.IOException
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
