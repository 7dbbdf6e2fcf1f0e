package io.spate.cli;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.List;

/** The {@code --help} texts: the command list, and each command's usage with its options table. */
final class Help
{
    private static final String PROGRAM = "spate";
    private static final int WIDTH = 100;

    private Help()
    {
    }

    static void commands(final PrintWriter out, final List<CliCommand> commands)
    {
        out.println("Usage: " + PROGRAM + " COMMAND [OPTIONS]   (java -jar engine.jar COMMAND ...)");
        out.println("Spate: a BitTorrent engine for the JVM.");
        out.println();
        out.println("Commands:");
        for (final CliCommand c : commands)
        {
            out.printf("  %-8s %s%n", c.name(), c.summary());
        }
        out.printf("  %-8s %s%n", "help", "Show the help of a command: help COMMAND.");
        out.println();
        out.println("Options:");
        out.println("  -h, --help      Show this help and exit.");
        out.println("  -V, --version   Print the version and exit.");
        out.println();
        out.println("'" + PROGRAM + " COMMAND --help' shows a command's options. Exit codes: 0 success, 1 runtime " +
            "error, 2 usage error.");
        out.flush();
    }

    /**
     * A command's usage, description and options table. Written here rather than by commons-cli's help formatter,
     * whose table (1.11) has a header row, one-space indents that shift wrapped lines, and no {@code --name=ARG} form.
     */
    static void command(final PrintWriter out, final CliCommand command, final Options options)
    {
        final StringBuilder syntax = new StringBuilder("Usage: ").append(PROGRAM).append(' ').append(command.name());
        command.positionals().forEach(p -> syntax.append(' ').append(p));
        out.println(syntax.append(" [OPTIONS]"));
        out.println(command.summary());
        command.details().forEach(out::println);
        out.println();
        out.println("Options:");
        int width = 0;
        for (final Option o : options.getOptions())
        {
            width = Math.max(width, label(o).length());
        }
        for (final Option o : options.getOptions())
        {
            final String label = label(o);
            out.print("  " + label + " ".repeat(width - label.length() + 2));
            wrap(out, o.getDescription(), width + 4);
        }
        out.flush();
    }

    /** {@code -o, --output=OUT.torrent}; long-only options are indented to line up with the long names. */
    private static String label(final Option o)
    {
        return (o.getOpt() != null && o.getLongOpt() != null ? "-" + o.getOpt() + ", " : "    ") + Args.label(o);
    }

    private static void wrap(final PrintWriter out, final String text, final int indent)
    {
        int column = indent;
        boolean first = true;
        for (final String word : text.split(" "))
        {
            if (!first && column + 1 + word.length() > WIDTH)
            {
                out.println();
                out.print(" ".repeat(indent));
                column = indent;
                first = true;
            }
            if (!first)
            {
                out.print(' ');
                column++;
            }
            out.print(word);
            column += word.length();
            first = false;
        }
        out.println();
    }
}
