/**
 * 65 SHA-1 digests in a fresh JVM (what an engine's start makes: a spare pool per disk handler), after the first
 * lookup: MessageDigest.getInstance each time against clones of one prototype (io.spate.metainfo.InfoHash).
 *
 *   javac -d /tmp/spate-probes tools/startup/probes/*.java
 *   java -Xshare:auto -XX:+UseSerialGC -cp /tmp/spate-probes DigestProbe getInstance
 *   java -Xshare:auto -XX:+UseSerialGC -cp /tmp/spate-probes DigestProbe clone
 */
public class DigestProbe
{
    public static void main(final String[] args) throws Exception
    {
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final java.security.MessageDigest first = java.security.MessageDigest.getInstance("SHA-1");
        final boolean clone = args[0].equals("clone");
        final long cpu = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 65; i++)
        {
            final Object md = clone ? first.clone() : java.security.MessageDigest.getInstance("SHA-1");
        }
        System.out.printf("%s: 65 digests %.2f ms CPU%n", args[0], (mx.getCurrentThreadCpuTime() - cpu) / 1e6);
    }
}
