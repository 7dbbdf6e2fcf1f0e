package io.spate.cli;

import java.util.Locale;

/** Human-readable sizes (binary units) and durations for progress lines. */
final class Units
{
    private Units()
    {
    }

    static String bytes(final long n)
    {
        if (n < 1024)
        {
            return n + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1)
        {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(final long seconds)
    {
        if (seconds >= 3600)
        {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
