package io.spate.metainfo;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PieceSha1Test
{
    @Test
    void theNativeDigestIsTheCorrettoProvidersAndAgreesWithTheJdkOnArraysAndDirectBuffers() throws Exception
    {
        final MessageDigest nativeDigest = PieceSha1.nativeOrNull();
        assertTrue(nativeDigest != null, "the native library loads on the machines Spate is built and tested on");
        assertEquals("AmazonCorrettoCryptoProvider", nativeDigest.getProvider().getName());
        final MessageDigest jdk = MessageDigest.getInstance("SHA-1", "SUN");
        final byte[] data = new byte[3 * 16384 + 1234];
        new Random(17).nextBytes(data);
        final ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        for (int split : new int[] {0, 1, 16384, 20000, data.length})
        {
            jdk.update(data);
            final byte[] expected = jdk.digest();
            nativeDigest.update(data, 0, split);
            nativeDigest.update(direct.duplicate().position(split));
            assertArrayEquals(expected, nativeDigest.digest(), "split at " + split);
        }
    }

    @Test
    void theJdkDigestIsTheDefaultAndAnUnknownChoiceIsRefusedByName()
    {
        assertEquals("jdk", PieceSha1.choice(), "this JVM has no -Dspate.sha1");
        assertEquals("SUN", PieceSha1.newDigest().getProvider().getName());
        PieceSha1.loadFor(1L << 40); // without -Dspate.sha1=native a torrent of any size keeps the JDK's
        assertEquals("SUN", PieceSha1.newDigest().getProvider().getName());
        assertTrue(PieceSha1.wantsNative("native") && !PieceSha1.wantsNative("jdk"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PieceSha1.wantsNative("openssl"));
        assertTrue(ex.getMessage().contains("spate.sha1") && ex.getMessage().contains("openssl"), ex.getMessage());
    }

    @Test
    void digestsHandedOutAreIndependent()
    {
        final MessageDigest a = PieceSha1.newDigest();
        final MessageDigest b = PieceSha1.newDigest();
        a.update(new byte[] {1, 2, 3});
        assertArrayEquals(InfoHash.sha1(new byte[0], 0, 0), b.digest(), "b saw none of a's input");
        assertArrayEquals(InfoHash.sha1(new byte[] {1, 2, 3}, 0, 3), a.digest());
    }
}
