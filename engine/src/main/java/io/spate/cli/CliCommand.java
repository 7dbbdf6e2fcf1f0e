package io.spate.cli;

import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.List;

/**
 * One command of {@code java -jar engine.jar}: its name, its help text, its positional parameters and options
 * (commons-cli), and what it does with them. {@link Main} adds {@code --help} and {@code --version} to every command,
 * parses, and maps what {@link #run} throws to exit codes.
 */
interface CliCommand
{
    String name();

    /** One line for the command list; the first line of the command's own help. */
    String summary();

    /** More lines of the command's own help, after the summary; empty when the summary says it all. */
    default List<String> details()
    {
        return List.of();
    }

    /** Labels of the positional parameters, in order; all required. */
    List<String> positionals();

    /** The command's own options, a new instance per call. */
    Options options();

    /** Runs the command; returns the exit code. A {@link UsageException} exits 2, any other exception 1. */
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception;
}
