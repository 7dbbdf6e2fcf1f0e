package io.spate.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code java -jar engine.jar}. Exit codes: 0 success, 2 usage error, 1 runtime error; errors are one
 * line on stderr naming the problem, never a stack trace.
 */
@Command(
    name = "spate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Spate: a BitTorrent engine for the JVM.",
    subcommands = {
        CommandLine.HelpCommand.class,
        SeedCommand.class,
        LeechCommand.class,
        TrackerCommand.class,
        CreateCommand.class,
        InfoCommand.class,
    })
public final class Main implements Runnable
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The commands worth starting fast, built alone when named first: picocli introspects every command of a tree
     * by reflection, which for the whole tree was ~0.15 CPU-s of every seed/leech start (async-profiler).
     */
    private static final Map<String, Supplier<Object>> PEER_COMMANDS = Map.of(
        "seed", SeedCommand::new,
        "leech", LeechCommand::new);

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM. */
    public static int run(final String... args)
    {
        return execute(null, null, args);
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
        final Supplier<Object> peerCommand = args.length > 0 ? PEER_COMMANDS.get(args[0]) : null;
        final CommandLine cli = peerCommand == null
            ? commandLine()
            : configure(new CommandLine(peerCommand.get())).setCommandName("spate " + args[0]);
        if (out != null)
        {
            cli.setOut(out);
            cli.setErr(err);
        }
        return cli.execute(peerCommand == null ? args : Arrays.copyOfRange(args, 1, args.length));
    }

    public static CommandLine commandLine()
    {
        return configure(new CommandLine(new Main()));
    }

    private static CommandLine configure(final CommandLine cli)
    {
        cli.setExitCodeExceptionMapper(t -> EXIT_RUNTIME_ERROR);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println("error: " + CliErrors.describe(ex));
            commandLine.getErr().flush();
            return EXIT_RUNTIME_ERROR;
        });
        cli.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine c = ex.getCommandLine();
            c.getErr().println("usage error: " + ex.getMessage());
            c.getErr().println("try '" + c.getCommandSpec().qualifiedName() + " --help'");
            c.getErr().flush();
            return EXIT_USAGE;
        });
        return cli;
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
