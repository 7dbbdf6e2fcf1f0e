package io.spate.cli;

import org.apache.commons.cli.Option;

/** Short-hands for declaring commons-cli options the same way in every command. */
final class CliOptions
{
    private CliOptions()
    {
    }

    /** An option that takes a value: {@code --name=ARG}. */
    static Option valued(final String name, final String argName, final String description)
    {
        return valued(null, name, argName, description);
    }

    /** An option with a one-letter alias that takes a value: {@code -s, --name=ARG}. */
    static Option valued(final String shortName, final String name, final String argName, final String description)
    {
        return Option.builder(shortName).longOpt(name).hasArg().argName(argName).desc(description).get();
    }

    /** An option without a value. */
    static Option flag(final String name, final String description)
    {
        return flag(null, name, description);
    }

    static Option flag(final String shortName, final String name, final String description)
    {
        return Option.builder(shortName).longOpt(name).desc(description).get();
    }
}
