package io.spate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code leech TORRENT --dir DIR}: downloads into DIR (resuming what is already there), then keeps seeding unless
 * {@code --exit-when-done}.
 */
@Command(name = "leech", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Download a torrent into DIR, then keep seeding (unless --exit-when-done).")
public final class LeechCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TORRENT", description = "The .torrent file.")
    Path torrent;

    @Mixin
    PeerOptions options;

    @Option(names = "--exit-when-done", description = "Exit 0 once the download is complete and verified.")
    boolean exitWhenDone;

    @Override
    public Integer call() throws Exception
    {
        return new TorrentRunner(spec.commandLine(), options, torrent, false, exitWhenDone).run();
    }
}
