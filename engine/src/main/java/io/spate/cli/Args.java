package io.spate.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * One command's parsed arguments (commons-cli does the parsing), read as typed values. Every problem becomes a
 * {@link UsageException} naming the option or parameter: unknown options, missing values, values that do not convert,
 * a single-valued option given twice, missing or extra positional parameters.
 */
final class Args
{
    private final Options options;
    private final CommandLine line;
    private final List<String> positionals;

    private Args(final Options options, final CommandLine line)
    {
        this.options = options;
        this.line = line;
        this.positionals = line.getArgList();
    }

    /** Parses {@code argv} against {@code options}; positional parameters are checked by {@link #checkPositionals}. */
    static Args parse(final Options options, final String[] argv)
    {
        try
        {
            // no partial matching: "--po" must not silently mean "--port"
            return new Args(options, DefaultParser.builder().setAllowPartialMatching(false).get().parse(options, argv));
        }
        catch (final UnrecognizedOptionException ex)
        {
            throw new UsageException("Unknown option: '" + ex.getOption() + "'");
        }
        catch (final MissingArgumentException ex)
        {
            throw new UsageException("Missing value for option '" + label(ex.getOption()) + "'");
        }
        catch (final ParseException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    /** Fails unless exactly the given positional parameters were typed. */
    void checkPositionals(final List<String> labels)
    {
        if (positionals.size() < labels.size())
        {
            throw new UsageException("Missing required parameter: '" + labels.get(positionals.size()) + "'");
        }
        if (positionals.size() > labels.size())
        {
            throw new UsageException("Unexpected argument: '" + positionals.get(labels.size()) + "'");
        }
    }

    String positional(final int index)
    {
        return positionals.get(index);
    }

    Path positionalPath(final int index, final String label)
    {
        return toPath(positionals.get(index), "parameter '" + label + "'");
    }

    boolean flag(final String name)
    {
        return line.hasOption(name);
    }

    /** The option's value, or null when it was not given; given twice is an error. */
    String string(final String name)
    {
        final String[] values = line.getOptionValues(name);
        if (values == null)
        {
            return null;
        }
        if (values.length > 1)
        {
            throw new UsageException("option '--" + name + "' should be specified only once");
        }
        return values[0];
    }

    /** Every value of a repeatable option, in order; empty when it was not given. */
    List<String> strings(final String name)
    {
        final String[] values = line.getOptionValues(name);
        return values == null ? List.of() : List.of(values);
    }

    Path path(final String name)
    {
        final String value = string(name);
        return value == null ? null : toPath(value, "option '" + label(options.getOption(name)) + "'");
    }

    Path requiredPath(final String name)
    {
        final Path path = path(name);
        if (path == null)
        {
            throw new UsageException("Missing required option: '" + label(options.getOption(name)) + "'");
        }
        return path;
    }

    /** The option as an int, or null when it was not given. */
    Integer integer(final String name)
    {
        final String value = string(name);
        if (value == null)
        {
            return null;
        }
        try
        {
            return Integer.valueOf(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, "'" + value + "' is not an int");
        }
    }

    int integer(final String name, final int orElse)
    {
        final Integer value = integer(name);
        return value == null ? orElse : value;
    }

    double decimal(final String name, final double orElse)
    {
        final String value = string(name);
        if (value == null)
        {
            return orElse;
        }
        try
        {
            return Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, "'" + value + "' is not a number");
        }
    }

    /** A byte count with an optional binary suffix ({@link Sizes#parse}), or null when not given. */
    Long size(final String name)
    {
        final String value = string(name);
        if (value == null)
        {
            return null;
        }
        try
        {
            return Sizes.parse(value);
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, ex.getMessage());
        }
    }

    private UsageException invalid(final String name, final String why)
    {
        return new UsageException("Invalid value for option '--" + name + "': " + why);
    }

    private static Path toPath(final String value, final String what)
    {
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw new UsageException("Invalid value for " + what + ": " + ex.getMessage());
        }
    }

    /** How help and errors show an option: {@code --output=OUT.torrent}, or {@code --json} for a flag. */
    static String label(final Option option)
    {
        final String name = option.getLongOpt() != null ? "--" + option.getLongOpt() : "-" + option.getOpt();
        return option.hasArg() ? name + "=" + option.getArgName() : name;
    }
}
