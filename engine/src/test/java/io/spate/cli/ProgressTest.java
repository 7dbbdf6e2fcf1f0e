package io.spate.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressTest
{
    @Test
    void jsonWarningsAndErrorsAreOneEscapedObjectPerLine()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Progress progress = new Progress(new PrintWriter(out), new PrintWriter(err), true, false, null);

        progress.warning("tracker \"a\"\nunreachable");
        progress.error("disk full: C:\\x");

        final String nl = System.lineSeparator();
        assertEquals("{\"event\":\"warning\",\"message\":\"tracker \\\"a\\\"\\nunreachable\"}" + nl +
            "{\"event\":\"error\",\"message\":\"disk full: C:\\\\x\"}" + nl, out.toString());
        assertEquals("error: disk full: C:\\x" + nl, err.toString());
    }
}
