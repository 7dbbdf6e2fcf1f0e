package io.spate.metainfo;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-1 that hashes piece data (verifying, checking, creating); info-hashes and other small inputs keep
 * {@link InfoHash}'s JDK digest.
 *
 * <p>{@code -Dspate.sha1=jdk} (the default) is the JDK's SHA-1, whose speed comes from C2's SHA-NI intrinsic: about
 * 8x slower until C2 has compiled it, and for good when C2 is off. {@code -Dspate.sha1=native} is the Amazon Corretto
 * Crypto Provider's (AWS-LC, SHA-NI in native code, fast from the first byte under any JIT). It is what lets the
 * launcher run seed and leech with C1 only, which saves a cold JVM the C2 compiler's CPU and arena
 * (perf-results/jit/C1-NATIVE-SHA1.md). Loading it costs ~0.25 s of CPU, so a JVM that keeps C2 is better off
 * without it. When it cannot load (not linux-x86_64, or its library refused), the JDK's is used and a warning names
 * why, once.
 */
public final class PieceSha1
{
    public static final String PROPERTY = "spate.sha1";

    private static final MessageDigest PROTOTYPE = choose(System.getProperty(PROPERTY, "jdk"));

    private PieceSha1()
    {
    }

    /**
     * With {@code -Dspate.sha1=native}, loads the native library on a thread of its own (~0.25 s of CPU), beside the
     * engine's start and the .torrent's parse; the first digest asked for waits for it if it is not done.
     */
    public static void loadInBackground()
    {
        if ("native".equals(System.getProperty(PROPERTY)))
        {
            final Thread loader = new Thread(PieceSha1::providerName, "spate-sha1-load");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** A fresh digest for piece data, this thread's alone. */
    public static MessageDigest newDigest()
    {
        try
        {
            return (MessageDigest)PROTOTYPE.clone();
        }
        catch (final CloneNotSupportedException ex)
        {
            return InfoHash.newSha1();
        }
    }

    /**
     * Whether {@code digest} hashes a direct buffer where it lies: the native one does (AWS-LC reads the memory);
     * the JDK's copies it through an array of its own in its {@code update(ByteBuffer)}.
     */
    public static boolean hashesDirectMemoryInPlace(final MessageDigest digest)
    {
        return digest.getProvider() instanceof AmazonCorrettoCryptoProvider;
    }

    /** The provider piece data is hashed with ("SUN" or "AmazonCorrettoCryptoProvider"). */
    public static String providerName()
    {
        return PROTOTYPE.getProvider().getName();
    }

    static MessageDigest choose(final String which)
    {
        switch (which)
        {
            case "jdk":
                return InfoHash.newSha1();
            case "native":
                final MessageDigest nativeDigest = nativeOrNull();
                return nativeDigest != null ? nativeDigest : InfoHash.newSha1();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be jdk or native, not '" + which + "'");
        }
    }

    private static MessageDigest nativeOrNull()
    {
        try
        {
            final AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
            final Throwable loading = provider.getLoadingError();
            if (loading != null)
            {
                warn(loading.toString());
                return null;
            }
            return MessageDigest.getInstance("SHA-1", provider);
        }
        catch (final LinkageError | RuntimeException | NoSuchAlgorithmException ex)
        {
            warn(ex.toString());
            return null;
        }
    }

    private static void warn(final String why)
    {
        System.err.println("spate: native SHA-1 (Amazon Corretto Crypto Provider) not available, hashing pieces " +
            "with the JDK's, slow without the C2 compiler: " + why);
    }
}
