package io.spate.tracker.server;

/** The info-hashes of a validated scrape (BEP 48), filled in by {@link AnnounceRequestParser}; reusable. */
public final class ScrapeRequest
{
    /** Most info-hashes one scrape may ask for. */
    public static final int MAX_INFO_HASHES = 64;

    final byte[] infoHashes = new byte[MAX_INFO_HASHES * InfoHashKey.LENGTH];
    int count;

    public int count()
    {
        return count;
    }

    /** @return the array holding the info-hashes; hash {@code i} starts at {@code 20 * i}. */
    public byte[] infoHashes()
    {
        return infoHashes;
    }
}
