import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.Provider;
public class ShaSpeed {
    public static void main(String[] a) throws Exception {
        String mode = a[0]; int mib = Integer.parseInt(a[1]);
        Provider p = null;
        if (mode.startsWith("accp")) {
            p = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider").getField("INSTANCE").get(null);
        }
        MessageDigest md = p == null ? MessageDigest.getInstance("SHA-1") : MessageDigest.getInstance("SHA-1", p);
        ByteBuffer buf = ByteBuffer.allocateDirect(16384);
        for (int i = 0; i < 16384; i++) buf.put(i, (byte) (i * 31));
        byte[] stage = new byte[16384];
        long t0 = System.nanoTime();
        int blocks = mib * 64;
        for (int i = 0; i < blocks; i++) {
            if (mode.endsWith("copy")) { buf.get(0, stage, 0, 16384); md.update(stage, 0, 16384); }
            else { buf.clear(); md.update(buf); }
            if ((i & 63) == 63) md.digest();
        }
        long t1 = System.nanoTime();
        System.out.printf("%s %d MiB %.1f MiB/s provider %s%n", mode, mib, mib / ((t1 - t0) / 1e9), md.getProvider().getName());
    }
}
