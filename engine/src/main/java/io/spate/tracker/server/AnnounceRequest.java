package io.spate.tracker.server;

import io.spate.tracker.AnnounceEvent;

/** A validated announce, filled in by {@link AnnounceRequestParser}; reusable, one per thread. */
public final class AnnounceRequest
{
    /** {@code numwant} when absent. */
    public static final int DEFAULT_NUM_WANT = 50;

    final byte[] infoHash = new byte[InfoHashKey.LENGTH];
    final byte[] peerId = new byte[Swarm.PEER_ID_LENGTH];
    int port;
    long uploaded;
    long downloaded;
    long left;
    AnnounceEvent event;
    int numWant;
    boolean compact;
    boolean noPeerId;
    boolean hasIp;
    long ipHi;
    long ipLo;

    void clear()
    {
        port = 0;
        uploaded = 0;
        downloaded = 0;
        left = 0;
        event = AnnounceEvent.NONE;
        numWant = DEFAULT_NUM_WANT;
        compact = true;
        noPeerId = false;
        hasIp = false;
        ipHi = 0;
        ipLo = 0;
    }

    public byte[] infoHash()
    {
        return infoHash;
    }

    public byte[] peerId()
    {
        return peerId;
    }

    public int port()
    {
        return port;
    }

    public long uploaded()
    {
        return uploaded;
    }

    public long downloaded()
    {
        return downloaded;
    }

    public long left()
    {
        return left;
    }

    public AnnounceEvent event()
    {
        return event;
    }

    /** @return peers wanted, already capped at {@link AnnounceResult#MAX_PEERS}. */
    public int numWant()
    {
        return numWant;
    }

    /** @return whether the compact peer list (BEP 23) was asked for; the default. */
    public boolean compact()
    {
        return compact;
    }

    public boolean noPeerId()
    {
        return noPeerId;
    }

    /** @return whether a trusted {@code ip} parameter was given (only when the parser trusts it). */
    public boolean hasIp()
    {
        return hasIp;
    }

    public long ipHi()
    {
        return ipHi;
    }

    public long ipLo()
    {
        return ipLo;
    }
}
