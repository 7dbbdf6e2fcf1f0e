package io.spate.tracker.client;

import io.spate.tracker.AnnounceEvent;

/**
 * What a client tells a tracker in an announce (BEP 3).
 *
 * @param infoHash   20-byte info-hash.
 * @param peerId     20-byte peer id.
 * @param port       listening port, 1..65535.
 * @param uploaded   bytes uploaded so far.
 * @param downloaded bytes downloaded so far.
 * @param left       bytes still missing (0 for a seed).
 * @param event      the event, {@link AnnounceEvent#NONE} for a regular re-announce.
 * @param numWant    peers wanted.
 * @param compact    ask for the compact peer list (BEP 23); the reply is parsed in either form regardless.
 */
public record AnnounceParams(
    byte[] infoHash,
    byte[] peerId,
    int port,
    long uploaded,
    long downloaded,
    long left,
    AnnounceEvent event,
    int numWant,
    boolean compact)
{
    public AnnounceParams
    {
        if (infoHash == null || infoHash.length != 20 || peerId == null || peerId.length != 20)
        {
            throw new IllegalArgumentException("info-hash and peer id must be 20 bytes");
        }
        if (port < 1 || port > 65535 || uploaded < 0 || downloaded < 0 || left < 0 || numWant < 0)
        {
            throw new IllegalArgumentException("port must be 1..65535 and counts non-negative");
        }
        if (event == null)
        {
            throw new IllegalArgumentException("event must not be null (use AnnounceEvent.NONE)");
        }
    }

    /** A compact announce wanting 50 peers. */
    public static AnnounceParams of(
        final byte[] infoHash, final byte[] peerId, final int port, final long left, final AnnounceEvent event)
    {
        return new AnnounceParams(infoHash, peerId, port, 0, 0, left, event, 50, true);
    }
}
