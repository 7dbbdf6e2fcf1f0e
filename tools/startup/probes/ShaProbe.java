import java.security.MessageDigest;
/**
 * SHA-1 of 1 MiB pieces (16 KiB updates) in a fresh JVM: CPU and wall per piece; the first runs interpreted and C1
 * code until C2 has compiled the callers that use the intrinsic.
 *
 *   javac -d /tmp/spate-probes tools/startup/probes/*.java
 *   java -Xshare:auto -XX:+UseSerialGC -cp /tmp/spate-probes ShaProbe
 */
public class ShaProbe {
    public static void main(String[] a) throws Exception {
        byte[] buf = new byte[16384];
        new java.util.Random(1).nextBytes(buf);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int p = 0; p < 4; p++) {
            long t = System.nanoTime(); long c = mx.getCurrentThreadCpuTime();
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (int i = 0; i < 64; i++) md.update(buf, 0, buf.length);
            md.digest();
            System.out.printf("piece %d (1 MiB): %.1f ms wall %.1f ms cpu%n", p, (System.nanoTime()-t)/1e6, (mx.getCurrentThreadCpuTime()-c)/1e6);
        }
    }
}
