package io.spate.cli;

import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.List;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/**
 * A command that talks to a running daemon ({@code add}, {@code ls}, {@code rm}, {@code pause}, {@code resume},
 * {@code stats}, {@code limit}, {@code set}): its name, help and options, with those they share (where the API is,
 * the token, {@code --json}). What it does is in {@link ClientActions}, loaded only when one runs: every command's start (a
 * leecher's too) builds this list, and must not pay for the HTTP client and JSON classes.
 */
final class ClientCommand implements CliCommand
{
    private final String name;
    private final String summary;
    private final List<String> positionals;

    private ClientCommand(final String name, final String summary, final List<String> positionals)
    {
        this.name = name;
        this.summary = summary;
        this.positionals = positionals;
    }

    static List<CliCommand> all()
    {
        return List.of(
            new ClientCommand("add", "Add a torrent (a .torrent file, uploaded, or a magnet link) to the daemon.",
                List.of("TORRENT|MAGNET")),
            new ClientCommand("ls", "List the daemon's torrents.", List.of()),
            new ClientCommand("rm", "Remove a torrent from the daemon (its data is kept unless --delete-data).",
                List.of("INFO-HASH")),
            new ClientCommand("pause", "Pause a torrent of the daemon (kept paused across restarts).",
                List.of("INFO-HASH")),
            new ClientCommand("resume", "Resume a paused torrent of the daemon.", List.of("INFO-HASH")),
            new ClientCommand("stats", "Print the daemon's global figures.", List.of()),
            new ClientCommand("files", "Show a torrent's files (index, priority, size, done), or set their " +
                "priorities with --set INDEX=P or --select-files LIST.", List.of("INFO-HASH")),
            new ClientCommand("limit", "Show or set the daemon's rate limits (global, or one torrent's with " +
                "--torrent).", List.of()),
            new ClientCommand("set", "Change a torrent's settings on the daemon (--sequential on|off).",
                List.of("INFO-HASH")));
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String summary()
    {
        return summary;
    }

    @Override
    public List<String> details()
    {
        return List.of("Talks to a running 'spate daemon' (--api, default " + DaemonCommand.DEFAULT_API + ").");
    }

    @Override
    public List<String> positionals()
    {
        return positionals;
    }

    @Override
    public Options options()
    {
        final Options options = new Options();
        switch (name)
        {
            case "add" -> FileSelectionOptions.define(options
                .addOption(valued("dir", "DIR", "Data directory on the daemon's machine (default: STATE/data)."))
                .addOption(flag("paused", "Add it paused."))
                .addOption(flag("sequential", "Download its pieces in order, lowest first (for streaming).")));
            case "files" -> FileSelectionOptions.define(options, "set");
            case "rm" -> options.addOption(flag("delete-data", "Delete its downloaded files too."));
            case "set" -> options.addOption(valued("sequential", "on|off",
                "Pick pieces in order, lowest first (on: streaming), or rarest first (off)."));
            case "limit" -> options
                .addOption(valued("up", "RATE", "Upload limit in bytes/s (K, M, G suffixes; 0 for none)."))
                .addOption(valued("down", "RATE", "Download limit in bytes/s (K, M, G suffixes; 0 for none)."))
                .addOption(valued("torrent", "INFO-HASH", "Set this torrent's limits instead of the global ones."));
            default ->
            {
                // ls, pause, resume, stats: the shared options only
            }
        }
        return options
            .addOption(valued("api", "HOST:PORT", "The daemon's API (default: " + DaemonCommand.DEFAULT_API + ")."))
            .addOption(valued("token", "TOKEN", "The API token (needed when the daemon's API is not on loopback)."))
            .addOption(valued("state", "DIR", "Read the API token from the daemon's state dir."))
            .addOption(flag("json", "Print the daemon's JSON reply on one line."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        ClientActions.run(name, args, out);
        return Main.EXIT_OK;
    }
}
