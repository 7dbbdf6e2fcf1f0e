package io.spate.cli;


import java.util.Locale;

/** Byte counts typed by people: "256K", "4MiB", "16384" (binary units). Printing them is {@link Units#bytes}. */
final class Sizes
{
    private Sizes()
    {
    }

    /** Parses a byte count with an optional binary suffix: K, KiB, M, MiB, G, GiB (case-insensitive). */
    static long parse(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        int end = t.length();
        while (end > 0 && !Character.isDigit(t.charAt(end - 1)))
        {
            end--;
        }
        final String digits = t.substring(0, end);
        final String suffix = t.substring(end).trim();
        final int shift = switch (suffix)
        {
            case "", "b" -> 0;
            case "k", "kib", "kb" -> 10;
            case "m", "mib", "mb" -> 20;
            case "g", "gib", "gb" -> 30;
            default -> throw new NumberFormatException("unknown unit '" + suffix + "'");
        };
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit))
        {
            throw new NumberFormatException("not a byte count: '" + text + "'");
        }
        final long value = Long.parseLong(digits);
        if (value > (Long.MAX_VALUE >> shift))
        {
            throw new NumberFormatException("too large: '" + text + "'");
        }
        return value << shift;
    }
}
