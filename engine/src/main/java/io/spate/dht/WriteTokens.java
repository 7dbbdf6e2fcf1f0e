package io.spate.dht;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The announce_peer write tokens of BEP 5: a token is the first 8 bytes of SHA-1(secret, IP address), so it is
 * bound to the address it was given to and costs no state per querier. The secret changes every 5 minutes and the
 * previous one is still accepted, so a token lives 5 to 10 minutes, as the BEP says. Time is passed in.
 */
public final class WriteTokens
{
    /** How often the secret changes. */
    public static final long ROTATION_NS = TimeUnit.MINUTES.toNanos(5);
    /** Bytes in a token. */
    public static final int LENGTH = 8;

    private final Random random;
    private final MessageDigest sha1;
    private final byte[] current = new byte[16];
    private final byte[] previous = new byte[16];
    private long rotatedAtNs;

    public WriteTokens(final Random random, final long nowNs)
    {
        this.random = random;
        try
        {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        random.nextBytes(current);
        random.nextBytes(previous);
        rotatedAtNs = nowNs;
    }

    /**
     * Rotates the secret once per 5 minutes passed since the last rotation (at most twice: after 10 minutes idle,
     * both secrets are new, so no old token survives a quiet spell).
     */
    public void tick(final long nowNs)
    {
        final long periods = (nowNs - rotatedAtNs) / ROTATION_NS;
        for (long i = 0; i < Math.min(periods, 2); i++)
        {
            System.arraycopy(current, 0, previous, 0, current.length);
            random.nextBytes(current);
        }
        if (periods > 0)
        {
            rotatedAtNs += periods * ROTATION_NS;
        }
    }

    /** @return the token to hand {@code address} in a get_peers response. */
    public byte[] tokenFor(final InetAddress address, final long nowNs)
    {
        tick(nowNs);
        return token(current, address);
    }

    /** @return whether {@code token} was handed to {@code address} under the current or the previous secret. */
    public boolean accept(final byte[] token, final InetAddress address, final long nowNs)
    {
        tick(nowNs);
        return token.length == LENGTH && (MessageDigest.isEqual(token, token(current, address)) ||
            MessageDigest.isEqual(token, token(previous, address)));
    }

    private byte[] token(final byte[] secret, final InetAddress address)
    {
        sha1.reset();
        sha1.update(secret);
        sha1.update(address.getAddress());
        final byte[] digest = sha1.digest();
        final byte[] out = new byte[LENGTH];
        System.arraycopy(digest, 0, out, 0, LENGTH);
        return out;
    }
}
