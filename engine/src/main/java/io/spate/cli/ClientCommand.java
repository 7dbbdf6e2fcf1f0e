package io.spate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.service.StateDir;
import org.apache.commons.cli.Options;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/**
 * A command that talks to a running daemon ({@code add}, {@code ls}, {@code rm}, {@code pause}, {@code resume},
 * {@code stats}, {@code limit}): the options they share (where the API is, the token, {@code --json}) and the
 * request each makes, given as a {@link Action}. With {@code --json} the daemon's reply is printed as one line.
 */
final class ClientCommand implements CliCommand
{
    /** What one command does with its parsed arguments and a client; returns the reply to print. */
    interface Action
    {
        JsonNode run(Args args, ApiClient client) throws Exception;
    }

    /** How one command prints a reply without {@code --json}. */
    interface Printer
    {
        void print(JsonNode reply, PrintWriter out);
    }

    private final String name;
    private final String summary;
    private final List<String> positionals;
    private final Options ownOptions;
    private final Action action;
    private final Printer printer;

    ClientCommand(final String name, final String summary, final List<String> positionals, final Options ownOptions,
        final Action action, final Printer printer)
    {
        this.name = name;
        this.summary = summary;
        this.positionals = positionals;
        this.ownOptions = ownOptions;
        this.action = action;
        this.printer = printer;
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
        ownOptions.getOptions().forEach(options::addOption);
        return options
            .addOption(valued("api", "HOST:PORT", "The daemon's API (default: " + DaemonCommand.DEFAULT_API + ")."))
            .addOption(valued("token", "TOKEN", "The API token (needed when the daemon's API is not on loopback)."))
            .addOption(valued("state", "DIR", "Read the API token from the daemon's state dir."))
            .addOption(flag("json", "Print the daemon's JSON reply on one line."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        final InetSocketAddress api = HostPort.parse("api", args.string("api") == null ? DaemonCommand.DEFAULT_API :
            args.string("api"));
        final String host = api.getHostString().contains(":") ? "[" + api.getHostString() + "]" : api.getHostString();
        final JsonNode reply = action.run(args, new ApiClient("http://" + host + ":" + api.getPort(), token(args)));
        if (args.flag("json"))
        {
            out.println(reply.toString());
        }
        else
        {
            printer.print(reply, out);
        }
        return Main.EXIT_OK;
    }

    private static String token(final Args args) throws IOException
    {
        final String token = args.string("token");
        if (token != null)
        {
            return token;
        }
        final Path state = args.path("state");
        if (state == null)
        {
            return null;
        }
        try
        {
            return StateDir.readToken(state);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException(state.resolve(StateDir.TOKEN_FILE) + ": no such file (has the daemon run with " +
                "--state " + state + "?)", ex);
        }
    }

    /** @return the positional as an info-hash (40 hex digits), or a usage error naming it. */
    static String infoHash(final Args args, final int index)
    {
        final String hash = args.positional(index).toLowerCase(Locale.ROOT);
        if (hash.length() != 40 || !hash.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            throw new UsageException("INFO-HASH must be 40 hex digits (as 'ls' prints), got '" +
                args.positional(index) + "'");
        }
        return hash;
    }
}
