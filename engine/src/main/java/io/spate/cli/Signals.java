package io.spate.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling for long-running commands: the handler runs the given action instead of the JVM's
 * default (exit status 143/130), so the command can close cleanly and exit 0.
 */
final class Signals
{
    private Signals()
    {
    }

    static void onTermination(final Runnable action)
    {
        for (final String name : new String[] {"TERM", "INT"})
        {
            try
            {
                Signal.handle(new Signal(name), signal -> action.run());
            }
            catch (final IllegalArgumentException ignored)
            {
                // signal not available on this platform: the shutdown hook still closes the command
            }
        }
    }
}
