package io.spate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Test helper: runs the command line in-process and captures its exit code, stdout and stderr. */
public record CliRun(int exit, String out, String err)
{
    public static CliRun of(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString()
    {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
