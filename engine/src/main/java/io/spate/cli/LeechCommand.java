package io.spate.cli;

import io.spate.magnet.MagnetLink;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code leech TORRENT --dir DIR}: downloads into DIR (resuming what is already there), then keeps seeding unless
 * {@code --exit-when-done}.
 */
final class LeechCommand implements CliCommand
{
    @Override
    public String name()
    {
        return "leech";
    }

    @Override
    public String summary()
    {
        return "Download a torrent (a .torrent file or a magnet link) into DIR, then keep seeding (unless " +
            "--exit-when-done).";
    }

    @Override
    public List<String> details()
    {
        return List.of("TORRENT: the .torrent file, or a magnet link (magnet:?xt=urn:btih:...; quote it in a shell):",
            "its info dictionary is fetched from peers (BEP 9) found through its trackers (tr), its x.pe peers",
            "and --peer.",
            "--select-files 0,2-3 downloads only those files (indexes from 0, as 'spate info' lists them): the others",
            "are not created; the bytes of them that wanted pieces share go to DIR/.INFOHASH.parts. The download is",
            "done (and --exit-when-done exits) once the wanted files are; progress counts the wanted bytes.");
    }

    @Override
    public List<String> positionals()
    {
        return List.of("TORRENT");
    }

    @Override
    public Options options()
    {
        return FileSelectionOptions.define(PeerOptions.define(new Options()))
            .addOption(CliOptions.flag("exit-when-done", "Exit 0 once the download is complete and verified."))
            .addOption(CliOptions.valued("metadata-timeout", "SECONDS", "For a magnet link: give up when no peer " +
                "has sent the torrent's metadata in this many seconds (default: 120)."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        final String torrent = args.positional(0);
        final double metadataTimeout = args.decimal("metadata-timeout", 120.0);
        final FileSelectionOptions selection = FileSelectionOptions.from(args);
        if (!(metadataTimeout > 0))
        {
            throw new UsageException("--metadata-timeout must be positive");
        }
        if (MagnetLink.isMagnet(torrent))
        {
            final MagnetLink magnet;
            try
            {
                magnet = MagnetLink.parse(torrent);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UsageException("TORRENT: bad magnet link: " + ex.getMessage());
            }
            return new TorrentRunner(out, err, PeerOptions.from(args), null, magnet, (long)(metadataTimeout * 1000),
                false, args.flag("exit-when-done")).selectFiles(selection).run();
        }
        return new TorrentRunner(out, err, PeerOptions.from(args), args.positionalPath(0, "TORRENT"), null, 0, false,
            args.flag("exit-when-done")).selectFiles(selection).run();
    }
}
