package io.spate.verify;

import io.spate.metainfo.InfoHash;

import java.security.MessageDigest;

/**
 * Gets SHA-1 compiled before the first piece needs it. A fresh JVM hashes at interpreter speed until C2 has compiled
 * the digest loop with its SHA intrinsic; in a leecher whose compiler threads are busy with the network path that
 * took about two seconds, during which pieces arrived ten times faster than they were verified (measured: 257 MiB
 * received, 19 MiB verified, 2 s into a 512 MiB download). Hashing through the same call the disk handlers make
 * ({@code update(byte[], off, 16 KiB)}), on a daemon thread at start-up, moves that cost ahead of the transfer.
 */
public final class Sha1Warmup
{
    private static final int CHUNK = 16 * 1024;
    private static final int CHUNKS_PER_DIGEST = 64;
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
        final byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < ROUNDS; i++)
        {
            for (int c = 0; c < CHUNKS_PER_DIGEST; c++)
            {
                md.update(chunk, 0, CHUNK);
            }
            md.digest();
        }
    }
}
