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
    /** Torrents smaller than this keep the JDK's SHA-1 even with {@code native}: see {@link #loadFor}. */
    public static final String MIN_BYTES_PROPERTY = "spate.sha1.native.min.bytes";

    private static final MessageDigest JDK = InfoHash.newSha1();
    /** What is wrong with the two properties, or null; {@link #checkProperties} reports it before any use. */
    private static final String PROPERTY_ERROR = propertyError();
    private static final boolean NATIVE_WANTED =
        PROPERTY_ERROR == null && wantsNative(System.getProperty(PROPERTY, "jdk"));
    private static final long NATIVE_MIN_BYTES = PROPERTY_ERROR == null ? minBytes() : Long.MAX_VALUE;
    /** Set once a torrent has asked for the native SHA-1; from the start when the threshold is 0 (always native). */
    private static volatile boolean loading = NATIVE_WANTED && NATIVE_MIN_BYTES <= 0;

    private PieceSha1()
    {
    }

    /**
     * With {@code -Dspate.sha1=native}, starts loading the native library on a thread of its own if a torrent of
     * {@code torrentBytes} repays it: the load costs ~0.3 CPU-s (its library and self-tests), the JDK's SHA-1 under C1
     * ~4.3 ms more per MiB than the native one (208 against 1,800 MiB/s), so below ~70 MiB the JDK's costs less; the
     * threshold (128 MiB) leaves the small ones, whose JVMs often start many at once, without the load. From then on
     * digests are native ({@link #newDigest} waits for the load); before, and for small torrents, the JDK's.
     */
    public static void loadFor(final long torrentBytes)
    {
        if (NATIVE_WANTED && !loading && torrentBytes >= NATIVE_MIN_BYTES)
        {
            loading = true;
            final Thread loader = new Thread(Native::prototype, "spate-sha1-load");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** A fresh digest for piece data, this thread's alone. */
    public static MessageDigest newDigest()
    {
        final MessageDigest prototype = loading ? Native.prototype() : JDK;
        try
        {
            return (MessageDigest)prototype.clone();
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

    /** "native" once a torrent has started the native SHA-1's load (see {@link #loadFor}), else "jdk". */
    public static String choice()
    {
        return loading ? "native" : "jdk";
    }

    /** The provider piece data is hashed with now ("SUN" or "AmazonCorrettoCryptoProvider"); may wait for a load. */
    public static String providerName()
    {
        return (loading ? Native.prototype() : JDK).getProvider().getName();
    }

    /** @throws IllegalArgumentException naming the property when -Dspate.sha1 or its threshold is not one we take */
    public static void checkProperties()
    {
        if (PROPERTY_ERROR != null)
        {
            throw new IllegalArgumentException(PROPERTY_ERROR);
        }
    }

    private static String propertyError()
    {
        try
        {
            wantsNative(System.getProperty(PROPERTY, "jdk"));
            minBytes();
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
    }

    private static long minBytes()
    {
        final String value = System.getProperty(MIN_BYTES_PROPERTY, Long.toString(128L << 20));
        try
        {
            final long bytes = Long.parseLong(value.trim());
            if (bytes >= 0)
            {
                return bytes;
            }
        }
        catch (final NumberFormatException ex)
        {
            // named below
        }
        throw new IllegalArgumentException("-D" + MIN_BYTES_PROPERTY + " must be a number of bytes >= 0, not '" +
            value + "'");
    }

    static boolean wantsNative(final String which)
    {
        switch (which)
        {
            case "jdk":
                return false;
            case "native":
                return true;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be jdk or native, not '" + which + "'");
        }
    }

    /** The native digest, or null (with a warning on stderr) when its library cannot load here. */
    static MessageDigest nativeOrNull()
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

    /** Loaded once, by the first thread to ask (the JVM's class initialisation makes the others wait for it). */
    private static final class Native
    {
        private static final MessageDigest PROTOTYPE = load();

        static MessageDigest prototype()
        {
            return PROTOTYPE;
        }

        private static MessageDigest load()
        {
            final MessageDigest nativeDigest = nativeOrNull();
            return nativeDigest != null ? nativeDigest : JDK;
        }
    }
}
