package io.spate.webseed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One web seed of a torrent and how far it is trusted: its fetches in flight, and the back-off that follows each
 * failure (an HTTP error, a timeout, a short body) or bad piece (one it served failed its SHA-1 check): no new fetch
 * for a delay doubling from {@link #FIRST_BACKOFF_NS} to {@link #MAX_BACKOFF_NS}. {@link #MAX_FAILURES} failures in a
 * row, or {@link #MAX_BAD_PIECES} bad pieces in all, drop it for good (BEP 19 would drop it at the first bad piece;
 * a few strikes forgive a file replaced on one mirror while we fetched). Fetches in flight when a failure strikes do
 * not strike again. A busy reply (503, 429) only backs off, for as long as its Retry-After asks (BEP 19: a busy
 * server need not be discarded). Pure: time is passed in.
 */
final class WebSeed
{
    static final long FIRST_BACKOFF_NS = TimeUnit.SECONDS.toNanos(2);
    static final long MAX_BACKOFF_NS = TimeUnit.MINUTES.toNanos(5);
    static final int MAX_FAILURES = 5;
    static final int MAX_BAD_PIECES = 3;

    private final String url;
    private final int index;
    private final FileUrls urls;
    private final List<Fetch> inFlight = new ArrayList<>();
    private int failures;
    private int badPieces;
    private int busy;
    private long retryAtNs;
    /** When the last failure struck: fetches already in flight then fail with it, not on their own. */
    private long lastFailureNs;
    private boolean dropped;

    /** @param index this seed's bit in a piece's contributor mask (0..63). */
    WebSeed(final String url, final int index, final FileUrls urls)
    {
        this.url = url;
        this.index = index;
        this.urls = urls;
    }

    String url()
    {
        return url;
    }

    int index()
    {
        return index;
    }

    FileUrls urls()
    {
        return urls;
    }

    List<Fetch> inFlight()
    {
        return inFlight;
    }

    boolean dropped()
    {
        return dropped;
    }

    int failures()
    {
        return failures;
    }

    int badPieces()
    {
        return badPieces;
    }

    long retryAtNs()
    {
        return retryAtNs;
    }

    /** Whether a new fetch may start now: not dropped, not backing off, fewer than {@code maxFetches} in flight. */
    boolean mayStart(final long nowNs, final int maxFetches)
    {
        return !dropped && nowNs - retryAtNs >= 0 && inFlight.size() < maxFetches;
    }

    /** Blocks in flight from this seed (the picker's endgame restraint). */
    int inFlightBlocks()
    {
        int blocks = 0;
        for (int i = 0; i < inFlight.size(); i++)
        {
            blocks += inFlight.get(i).blockCount;
        }
        return blocks;
    }

    /** A fetch came whole: the failures in a row and the busy spell end. */
    void fetched()
    {
        failures = 0;
        busy = 0;
    }

    /**
     * A fetch started at {@code startedNs} failed. Fetches that were in flight at the last failure count with it (a
     * server that went down fails every fetch in flight at once: one strike).
     *
     * @return true if the failure drops the seed.
     */
    boolean failed(final long nowNs, final long startedNs)
    {
        if (failures + busy > 0 && startedNs - lastFailureNs <= 0)
        {
            return dropped;
        }
        lastFailureNs = nowNs;
        failures++;
        dropped |= failures >= MAX_FAILURES;
        backOff(nowNs);
        return dropped;
    }

    /** @return true if the bad piece drops the seed. */
    boolean servedBadPiece(final long nowNs)
    {
        badPieces++;
        dropped |= badPieces >= MAX_BAD_PIECES;
        backOff(nowNs);
        return dropped;
    }

    /**
     * The server was busy for a fetch started at {@code startedNs}: wait as long as it asks ({@code retryAfterNs}), or
     * the back-off if it did not say. As with failures, fetches in flight at the last one count with it.
     *
     * @return whether it counted (false: it came with the last one).
     */
    boolean busy(final long nowNs, final long startedNs, final long retryAfterNs)
    {
        if (failures + busy > 0 && startedNs - lastFailureNs <= 0)
        {
            return false;
        }
        lastFailureNs = nowNs;
        busy++;
        backOff(nowNs);
        if (retryAfterNs > 0)
        {
            retryAtNs = nowNs + retryAfterNs;
        }
        return true;
    }

    /** @return the delay now in force: from now until new fetches may start. */
    long delayNs(final long nowNs)
    {
        return Math.max(0, retryAtNs - nowNs);
    }

    private void backOff(final long nowNs)
    {
        final int strikes = Math.min(failures + badPieces + busy, 20);
        retryAtNs = nowNs + Math.min(MAX_BACKOFF_NS, FIRST_BACKOFF_NS << Math.max(0, strikes - 1));
    }
}
