package io.spate.tracker.client;

/**
 * One swarm of a scrape reply (BEP 48).
 *
 * @param infoHash   the 20-byte info-hash (compare with {@link java.util.Arrays#equals}).
 * @param complete   seeds.
 * @param incomplete leechers.
 * @param downloaded completed downloads the tracker has seen.
 */
public record ScrapeEntry(byte[] infoHash, long complete, long incomplete, long downloaded)
{
}
