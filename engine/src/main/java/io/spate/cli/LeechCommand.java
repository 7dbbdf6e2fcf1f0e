package io.spate.cli;

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
        return "Download a torrent into DIR, then keep seeding (unless --exit-when-done).";
    }

    @Override
    public List<String> details()
    {
        return List.of("TORRENT: the .torrent file.");
    }

    @Override
    public List<String> positionals()
    {
        return List.of("TORRENT");
    }

    @Override
    public Options options()
    {
        return PeerOptions.define(new Options())
            .addOption(CliOptions.flag("exit-when-done", "Exit 0 once the download is complete and verified."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        return new TorrentRunner(out, err, PeerOptions.from(args), args.positionalPath(0, "TORRENT"), false,
            args.flag("exit-when-done")).run();
    }
}
