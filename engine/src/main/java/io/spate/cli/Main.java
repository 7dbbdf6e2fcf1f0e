package io.spate.cli;

import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code java -jar engine.jar COMMAND ...}. Exit codes: 0 success, 2 usage error, 1 runtime error;
 * errors are one line on stderr naming the problem, never a stack trace.
 *
 * <p>Parsing is commons-cli's: picocli, used before, took ~0.2 s of every start (~500 classes loaded and verified
 * before a seed or leecher could open a socket; perf-results/startup/SUMMARY.md), a fifth of the time a leecher
 * needs for 1 GiB on loopback.
 */
public final class Main
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    private static final List<CliCommand> COMMANDS = commands();

    private Main()
    {
    }

    private static List<CliCommand> commands()
    {
        final List<CliCommand> commands = new java.util.ArrayList<>(List.of(new CreateCommand(), new SeedCommand(),
            new LeechCommand(), new TrackerCommand(), new InfoCommand(), new DaemonCommand()));
        commands.addAll(ClientCommand.all());
        return List.copyOf(commands);
    }

    public static void main(final String[] args)
    {
        PlatformSelector.name(); // this process's JVM is the command line's: before any socket opens
        System.exit(run(args));
    }

    /** Runs the command line on stdout and stderr without exiting the JVM. */
    public static int run(final String... args)
    {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with its output and errors going to the given writers; used by tests. */
    public static int run(final PrintWriter out, final PrintWriter err, final String... args)
    {
        try
        {
            return execute(out, err, args);
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    private static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        if (args.length == 0)
        {
            return usageError(err, "a command is required", null);
        }
        final String first = args[0];
        if (first.equals("-h") || first.equals("--help"))
        {
            Help.commands(out, COMMANDS);
            return EXIT_OK;
        }
        if (first.equals("-V") || first.equals("--version"))
        {
            out.println(version());
            return EXIT_OK;
        }
        if (first.equals("help"))
        {
            return help(out, err, Arrays.copyOfRange(args, 1, args.length));
        }
        final CliCommand command = find(first);
        if (command == null)
        {
            return usageError(err, "unknown command '" + first + "' (commands: create, seed, leech, tracker, info, " +
                "daemon, add, ls, rm, pause, resume, stats, files, limit, set, help)", null);
        }
        return execute(command, out, err, Arrays.copyOfRange(args, 1, args.length));
    }

    private static int execute(final CliCommand command, final PrintWriter out, final PrintWriter err,
        final String[] args)
    {
        final Options options = command.options()
            .addOption(CliOptions.flag("h", "help", "Show this help and exit."))
            .addOption(CliOptions.flag("V", "version", "Print the version and exit."));
        try
        {
            final Args parsed = Args.parse(options, args);
            if (parsed.flag("help"))
            {
                Help.command(out, command, options);
                return EXIT_OK;
            }
            if (parsed.flag("version"))
            {
                out.println(version());
                return EXIT_OK;
            }
            parsed.checkPositionals(command.positionals());
            return command.run(parsed, out, err);
        }
        catch (final UsageException ex)
        {
            return usageError(err, ex.getMessage(), command);
        }
        catch (final Exception ex)
        {
            err.println("error: " + CliErrors.describe(ex));
            return EXIT_RUNTIME_ERROR;
        }
    }

    private static int help(final PrintWriter out, final PrintWriter err, final String[] args)
    {
        if (args.length == 0)
        {
            Help.commands(out, COMMANDS);
            return EXIT_OK;
        }
        final CliCommand command = find(args[0]);
        if (command == null || args.length > 1)
        {
            return usageError(err, command == null ? "unknown command '" + args[0] + "'" :
                "Unexpected argument: '" + args[1] + "'", null);
        }
        return execute(command, out, err, new String[] {"--help"});
    }

    private static CliCommand find(final String name)
    {
        for (final CliCommand c : COMMANDS)
        {
            if (c.name().equals(name))
            {
                return c;
            }
        }
        return null;
    }

    private static int usageError(final PrintWriter err, final String message, final CliCommand command)
    {
        err.println("usage error: " + message);
        err.println("try 'spate " + (command == null ? "" : command.name() + " ") + "--help'");
        return EXIT_USAGE;
    }

    /** The version from the jar manifest, or "dev" when run from classes. */
    static String version()
    {
        final String v = Main.class.getPackage().getImplementationVersion();
        return "spate " + (v != null ? v : "dev");
    }
}
