package io.spate.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte-rate limit as a token bucket: tokens accrue at {@link #rate()} bytes per second up to one second's worth
 * (the burst), and a send or read takes what it moves. Time comes in from the caller's cached clock. Safe to share
 * between agents without a lock: taking is a compare-and-set on one counter, refilling a compare-and-set on the time
 * of the last refill, so a global limit and a per-torrent one are the same class. A rate of 0 is no limit.
 */
public final class TokenBucket
{
    /** The bucket holds at most this much time's worth of tokens: a second, so a burst is one second's rate. */
    private static final long BURST_NS = 1_000_000_000L;

    private volatile long rate;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong refilledAtNs = new AtomicLong(Long.MIN_VALUE);

    /** @param bytesPerSecond 0 for no limit. */
    public TokenBucket(final long bytesPerSecond)
    {
        rate(bytesPerSecond);
    }

    /** Changes the limit at once (from any thread); 0 lifts it. */
    public void rate(final long bytesPerSecond)
    {
        if (bytesPerSecond < 0)
        {
            throw new IllegalArgumentException("rate must be >= 0 bytes/s, got " + bytesPerSecond);
        }
        rate = bytesPerSecond;
    }

    public long rate()
    {
        return rate;
    }

    public boolean unlimited()
    {
        return rate == 0;
    }

    /**
     * Takes {@code bytes} tokens if that many are there.
     *
     * @return true when taken (always, without a limit); false leaves the bucket as it was.
     */
    public boolean tryTake(final long bytes, final long nowNs)
    {
        final long r = rate;
        if (r == 0)
        {
            return true;
        }
        refill(r, nowNs);
        while (true)
        {
            final long have = tokens.get();
            if (have < bytes)
            {
                return false;
            }
            if (tokens.compareAndSet(have, have - bytes))
            {
                return true;
            }
        }
    }

    /**
     * How many bytes a read may take now ({@link Long#MAX_VALUE} without a limit). The read then pays with
     * {@link #spend}; two readers racing for the same tokens may leave a little debt, paid back by later refills.
     */
    public long available(final long nowNs)
    {
        final long r = rate;
        if (r == 0)
        {
            return Long.MAX_VALUE;
        }
        refill(r, nowNs);
        return Math.max(0, tokens.get());
    }

    /** Takes {@code bytes} that already moved, into debt if need be. */
    public void spend(final long bytes)
    {
        if (rate != 0)
        {
            tokens.addAndGet(-bytes);
        }
    }

    /** Gives back tokens taken for a move that did not happen (another limit said no). */
    public void giveBack(final long bytes)
    {
        if (rate != 0)
        {
            tokens.addAndGet(bytes);
        }
    }

    /** @return nanoseconds until {@code bytes} tokens could be there (0 when they are, or without a limit). */
    public long nanosUntil(final long bytes, final long nowNs)
    {
        final long r = rate;
        if (r == 0)
        {
            return 0;
        }
        refill(r, nowNs);
        final long missing = bytes - tokens.get();
        return missing <= 0 ? 0 : (long)(missing * 1e9 / r) + 1;
    }

    private void refill(final long r, final long nowNs)
    {
        final long last = refilledAtNs.get();
        if (last == Long.MIN_VALUE)
        {
            if (refilledAtNs.compareAndSet(last, nowNs))
            {
                tokens.set(Math.max(r / 10, 16_384)); // start with a tenth of a second's worth, at least a block
            }
            return;
        }
        final long cap = r * BURST_NS / 1_000_000_000L;
        final long elapsed = nowNs - last;
        final long add;
        final long refilledTo;
        if (elapsed >= BURST_NS)
        {
            add = cap;
            refilledTo = nowNs;
        }
        else
        {
            add = (long)(elapsed * (double)r / 1e9);
            refilledTo = last + (long)(add * 1e9 / r); // whole tokens only: the remainder accrues on
        }
        if (add <= 0 || !refilledAtNs.compareAndSet(last, refilledTo))
        {
            return; // too soon for a whole token, or another thread refilled
        }
        while (true)
        {
            final long have = tokens.get();
            final long next = Math.min(cap, have + add);
            if (tokens.compareAndSet(have, next))
            {
                return;
            }
        }
    }
}
