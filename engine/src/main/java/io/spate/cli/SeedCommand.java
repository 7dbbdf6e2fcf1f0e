package io.spate.cli;

import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.List;

/** {@code seed TORRENT --dir DIR}: checks the data on all cores, then serves it until SIGTERM or Ctrl-C. */
final class SeedCommand implements CliCommand
{
    @Override
    public String name()
    {
        return "seed";
    }

    @Override
    public String summary()
    {
        return "Seed a torrent whose content is in DIR (checked against its hashes first).";
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
        return PeerOptions.define(new Options());
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        return new TorrentRunner(out, err, PeerOptions.from(args), args.positionalPath(0, "TORRENT"), null, 0, true,
            false).run();
    }
}
