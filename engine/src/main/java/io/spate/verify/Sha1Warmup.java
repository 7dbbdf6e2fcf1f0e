package io.spate.verify;

import io.spate.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Gets SHA-1 compiled before the first piece needs it. A fresh JVM hashes at interpreter speed until C2 has compiled
 * the digest loop with its SHA intrinsic; in a leecher whose compiler threads are busy with the network path that
 * took about two seconds, during which pieces arrived ten times faster than they were verified (measured: 257 MiB
 * received, 19 MiB verified, 2 s into a 512 MiB download). Hashing a buffer through the same path the hash handlers
 * use ({@code update(ByteBuffer)} on a direct buffer), on a daemon thread at start-up, moves that cost ahead of the
 * transfer.
 */
public final class Sha1Warmup
{
    private static final int BUFFER = 1 << 20;
    private static final int ROUNDS = 96;

    private Sha1Warmup()
    {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void start()
    {
        final Thread thread = new Thread(Sha1Warmup::run, "spate-sha1-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void run()
    {
        final MessageDigest md = InfoHash.newSha1();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        for (int i = 0; i < ROUNDS; i++)
        {
            buffer.clear();
            md.update(buffer);
            md.digest();
        }
    }
}
