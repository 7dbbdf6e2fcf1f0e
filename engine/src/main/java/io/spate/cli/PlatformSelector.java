package io.spate.cli;

/**
 * Names the platform's NIO selector provider before the first socket opens, so that the JDK does not search for
 * another one. Without the property, the first selector or channel of a fresh JVM (the engine's start) looks for a
 * {@code SelectorProvider} service through every module and the class path (ServiceLoader: the module readers, the
 * runtime image, the jar) before it falls back to the platform's own: a median 16.9 ms CPU of the thread that opens
 * it, against 4.2 ms with the property (tools/startup/probes/SelectorProbe.java, perf-results/startup/20261207/
 * probes.txt; a leech pays part of that search later, at its first HTTP request's logger). The class named is the
 * one the JDK falls back to on Linux; elsewhere, when the user set the property, or when this JDK has no such class,
 * nothing is set and the JDK searches as before.
 */
final class PlatformSelector
{
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String LINUX_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    private PlatformSelector()
    {
    }

    /** Sets {@link #PROPERTY} to the Linux provider when it is unset, this is Linux and the JDK has that class. */
    static void name()
    {
        if (System.getProperty(PROPERTY) != null || !"Linux".equals(System.getProperty("os.name")))
        {
            return;
        }
        try
        {
            Class.forName(LINUX_PROVIDER, false, null); // the boot loader's, not initialised: is it there at all?
        }
        catch (final ClassNotFoundException ex)
        {
            return;
        }
        System.setProperty(PROPERTY, LINUX_PROVIDER);
    }
}
