/**
 * The first Selector of a fresh JVM: CPU and wall of the opening thread, the JDK's ServiceLoader search for a
 * SelectorProvider ("service") against the provider named by its property (io.spate.cli.PlatformSelector).
 *
 *   javac -d /tmp/spate-probes tools/startup/probes/*.java
 *   java -Xshare:auto -XX:+UseSerialGC -cp /tmp/spate-probes:engine/target/engine.jar SelectorProbe service
 *   java -Xshare:auto -XX:+UseSerialGC -cp /tmp/spate-probes:engine/target/engine.jar \
 *       -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider SelectorProbe property
 * Compiled first: run as a source file, javac's own start in the same JVM does most of the search's first-time work
 * (the module readers, the runtime image) and hides it.
 */
public class SelectorProbe
{
    public static void main(final String[] args) throws Exception
    {
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long cpu = mx.getCurrentThreadCpuTime();
        final long wall = System.nanoTime();
        try (java.nio.channels.Selector s = java.nio.channels.Selector.open())
        {
            System.out.printf("%s: first Selector.open %.2f ms CPU, %.2f ms wall (%s)%n", args[0],
                (mx.getCurrentThreadCpuTime() - cpu) / 1e6, (System.nanoTime() - wall) / 1e6,
                s.provider().getClass().getName());
        }
    }
}
