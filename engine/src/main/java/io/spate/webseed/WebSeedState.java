package io.spate.webseed;

/**
 * One web seed of a torrent as the API shows it, copied on the owning agent's thread.
 *
 * @param url              the url-list entry (BEP 19).
 * @param state            "fetching" (fetches in flight), "ready", "backing off" (after a failure or a busy reply),
 *                         "dropped" (too many failures or bad pieces), or "idle" (the torrent is complete, or was at
 *                         its start, so the seed is not used).
 * @param fetchesInFlight  ranges being fetched from it now.
 * @param failures         failures in a row (HTTP errors, timeouts, short bodies).
 * @param badPieces        pieces it served that failed their check.
 * @param retryInMs        while backing off: how long until it is asked again, else 0.
 */
public record WebSeedState(String url, String state, int fetchesInFlight, int failures, int badPieces,
    long retryInMs)
{
    /** A web seed the torrent does not use: it had every piece when it started. */
    public static WebSeedState idle(final String url)
    {
        return new WebSeedState(url, "idle", 0, 0, 0, 0);
    }
}
