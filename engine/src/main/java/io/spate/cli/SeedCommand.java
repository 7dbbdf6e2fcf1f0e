package io.spate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seed TORRENT --dir DIR}: checks the data on all cores, then serves it until SIGTERM or Ctrl-C. */
@Command(name = "seed", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Seed a torrent whose content is in DIR (checked against its hashes first).")
public final class SeedCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TORRENT", description = "The .torrent file.")
    Path torrent;

    @Mixin
    PeerOptions options;

    @Override
    public Integer call() throws Exception
    {
        return new TorrentRunner(spec.commandLine(), options, torrent, true, false).run();
    }
}
