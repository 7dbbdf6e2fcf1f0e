package io.spate.tracker.server;

/**
 * The outcome of one announce, filled in by {@link SwarmRegistry#announce}. Reusable: one instance per thread, no
 * allocation per announce. Peers are held packed ({@link PeerAddress}): read them with the accessors below.
 */
public final class AnnounceResult
{
    /** Whether the announce was accepted, and if not why. */
    public enum Status
    {
        OK(null),
        NOT_WHITELISTED("unregistered info_hash: not on this tracker's whitelist"),
        TOO_MANY_SWARMS("tracker full: too many swarms, try again later"),
        SWARM_FULL("swarm full: too many peers, try again later"),
        TRACKER_FULL("tracker full: too many peers, try again later");

        private final String reason;

        Status(final String reason)
        {
            this.reason = reason;
        }

        /** @return what the tracker tells a peer it refused (HTTP {@code failure reason}, UDP error), null for OK. */
        public String reason()
        {
            return reason;
        }
    }

    /** Most peers one reply can carry (the cap on {@code numwant}). */
    public static final int MAX_PEERS = 200;

    private final long[] hi = new long[MAX_PEERS];
    private final long[] lo = new long[MAX_PEERS];
    private final int[] ports = new int[MAX_PEERS];
    private final byte[] peerIds = new byte[MAX_PEERS * Swarm.PEER_ID_LENGTH];

    Status status = Status.OK;
    int intervalSeconds;
    int minIntervalSeconds;
    int complete;
    int incomplete;
    int peerCount;

    void reset(final Status status, final int interval, final int minInterval)
    {
        this.status = status;
        this.intervalSeconds = interval;
        this.minIntervalSeconds = minInterval;
        this.complete = 0;
        this.incomplete = 0;
        this.peerCount = 0;
    }

    void addPeer(final Swarm swarm, final int slot)
    {
        final int i = peerCount++;
        hi[i] = swarm.addrHi[slot];
        lo[i] = swarm.addrLo[slot];
        ports[i] = swarm.ports[slot];
        System.arraycopy(swarm.peerIds, slot * Swarm.PEER_ID_LENGTH, peerIds, i * Swarm.PEER_ID_LENGTH,
            Swarm.PEER_ID_LENGTH);
    }

    public Status status()
    {
        return status;
    }

    public int intervalSeconds()
    {
        return intervalSeconds;
    }

    public int minIntervalSeconds()
    {
        return minIntervalSeconds;
    }

    /** @return seeds in the swarm, the asker included. */
    public int complete()
    {
        return complete;
    }

    /** @return leechers in the swarm, the asker included. */
    public int incomplete()
    {
        return incomplete;
    }

    public int peerCount()
    {
        return peerCount;
    }

    public long addressHi(final int i)
    {
        return hi[i];
    }

    public long addressLo(final int i)
    {
        return lo[i];
    }

    public boolean isV4(final int i)
    {
        return PeerAddress.isV4(hi[i], lo[i]);
    }

    public int port(final int i)
    {
        return ports[i];
    }

    /** @return the array holding peer ids, 20 bytes each; peer {@code i} starts at {@code 20 * i}. */
    public byte[] peerIds()
    {
        return peerIds;
    }
}
