package io.spate.tracker.server;

import io.spate.tracker.AnnounceEvent;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Announce and scrape logic of a tracker, knowing nothing of HTTP: swarms keyed by info-hash, peers keyed by endpoint
 * (address and port, so a peer can only change its own entry), stored compactly in {@link Swarm}s.
 * <ul>
 *   <li>An announce records the peer and answers with a random subset of the other peers, never the asker; a seed
 *   ({@code left == 0}) is sent leechers only, except on its {@code started} announce, which gets both kinds: aria2
 *   starting from a magnet link announces {@code left=0} before it knows the torrent's size, and would otherwise
 *   never meet a seed (opentracker sends every peer both kinds). {@code stopped} removes the peer, {@code completed}
 *   counts in scrape's {@code downloaded}.</li>
 *   <li>A peer that does not re-announce within 2 x interval expires; time is passed in by the caller
 *   ({@code nowMs}, from the caller's clock), so tests drive it with a fake clock. Swarms are swept lazily when
 *   touched and fully by {@link #expire(long)}, which the owner should call periodically; empty swarms are
 *   dropped.</li>
 *   <li>Bounded: at most {@link TrackerConfig#maxSwarms()} swarms of {@link TrackerConfig#maxPeersPerSwarm()} peers,
 *   {@link TrackerConfig#maxPeers()} in all; refusals are counted. With a {@link Whitelist}, other info-hashes are
 *   refused and counted.</li>
 * </ul>
 * Not thread-safe, by design: one thread owns it (the tracker's event loop); nothing here allocates per announce
 * except when a swarm is created or grows.
 */
public final class SwarmRegistry
{
    private final TrackerConfig config;
    private final long timeoutMs;
    private final Map<InfoHashKey, Swarm> swarms = new HashMap<>();
    private final InfoHashKey probe = InfoHashKey.probe();
    private long randomState;

    private long peers;
    private long announces;
    private long scrapes;
    private long expiredPeers;
    private long refusedNotWhitelisted;
    private long refusedTooManySwarms;
    private long refusedSwarmFull;
    private long refusedTrackerFull;

    public SwarmRegistry(final TrackerConfig config)
    {
        this(config, System.nanoTime() ^ 0x5DEECE66DL);
    }

    /** @param randomSeed seed of the generator choosing which peers a reply carries (fixed in tests). */
    public SwarmRegistry(final TrackerConfig config, final long randomSeed)
    {
        this.config = config;
        this.timeoutMs = config.peerTimeoutMs();
        this.randomState = randomSeed == 0 ? 1 : randomSeed;
    }

    public TrackerConfig config()
    {
        return config;
    }

    /**
     * Records an announce and fills {@code result}.
     *
     * @param infoHash       array holding the 20-byte info-hash at {@code infoHashOffset}.
     * @param peerId         array holding the 20-byte peer id at {@code peerIdOffset}.
     * @param addressHi      high 64 bits of the peer's address ({@link PeerAddress}).
     * @param addressLo      low 64 bits of the peer's address.
     * @param port           the peer's listening port, 1..65535.
     * @param left           bytes the peer still lacks; 0 makes it a seed.
     * @param numWant        most peers wanted (capped at {@link AnnounceResult#MAX_PEERS}).
     * @param nowMs          the caller's clock, milliseconds.
     * @param result         filled in; its status says whether the announce was accepted.
     */
    public AnnounceResult announce(
        final byte[] infoHash,
        final int infoHashOffset,
        final byte[] peerId,
        final int peerIdOffset,
        final long addressHi,
        final long addressLo,
        final int port,
        final long left,
        final AnnounceEvent event,
        final int numWant,
        final long nowMs,
        final AnnounceResult result)
    {
        announces++;
        result.reset(AnnounceResult.Status.OK, config.intervalSeconds(), config.minIntervalSeconds());
        probe.wrap(infoHash, infoHashOffset);
        if (config.whitelist() != null && !config.whitelist().contains(probe))
        {
            refusedNotWhitelisted++;
            result.status = AnnounceResult.Status.NOT_WHITELISTED;
            return result;
        }
        Swarm swarm = swarms.get(probe);
        if (swarm == null)
        {
            if (event == AnnounceEvent.STOPPED)
            {
                return result;
            }
            if (swarms.size() >= config.maxSwarms())
            {
                refusedTooManySwarms++;
                result.status = AnnounceResult.Status.TOO_MANY_SWARMS;
                return result;
            }
            swarm = new Swarm();
            swarms.put(probe.copy(), swarm);
        }
        else
        {
            sweepIfDue(swarm, nowMs);
        }

        final boolean seed = left == 0;
        int slot = swarm.find(addressHi, addressLo, port);
        if (event == AnnounceEvent.STOPPED)
        {
            if (slot >= 0)
            {
                swarm.remove(slot);
                peers--;
            }
            fillCounts(swarm, result);
            dropIfEmpty(swarm);
            return result;
        }
        if (slot < 0)
        {
            if (peers >= config.maxPeers())
            {
                refusedTrackerFull++;
                result.status = AnnounceResult.Status.TRACKER_FULL;
                fillCounts(swarm, result);
                dropIfEmpty(swarm);
                return result;
            }
            if (swarm.count >= config.maxPeersPerSwarm())
            {
                refusedSwarmFull++;
                result.status = AnnounceResult.Status.SWARM_FULL;
                fillCounts(swarm, result);
                return result;
            }
            slot = swarm.add(addressHi, addressLo, port, seed);
            peers++;
            if (event == AnnounceEvent.COMPLETED)
            {
                swarm.downloaded++;
            }
        }
        else if (seed != swarm.isSeed(slot))
        {
            if (seed)
            {
                slot = swarm.becomeSeed(slot);
                if (event == AnnounceEvent.COMPLETED)
                {
                    swarm.downloaded++;
                }
            }
            else
            {
                slot = swarm.becomeLeecher(slot);
            }
        }
        swarm.setPeerId(slot, peerId, peerIdOffset);
        swarm.lastSeenMs[slot] = nowMs;
        swarm.earliestExpiryMs = Math.min(swarm.earliestExpiryMs, nowMs + timeoutMs);

        fillCounts(swarm, result);
        selectPeers(swarm, slot, seed && event != AnnounceEvent.STARTED, Math.min(numWant, AnnounceResult.MAX_PEERS),
            result);
        return result;
    }

    /** Convenience for tests and the control path: allocates a result; addresses are 4 or 16 bytes. */
    public AnnounceResult announce(
        final byte[] infoHash,
        final byte[] peerId,
        final byte[] address,
        final int port,
        final long left,
        final AnnounceEvent event,
        final int numWant,
        final long nowMs)
    {
        return announce(infoHash, 0, peerId, 0, PeerAddress.hi(address), PeerAddress.lo(address), port, left, event,
            numWant, nowMs, new AnnounceResult());
    }

    /**
     * Fills {@code out} with the counts of one swarm (zeros if unknown); never creates a swarm.
     *
     * @return false if a whitelist is set and does not hold the info-hash (the caller omits it from the reply).
     */
    public boolean scrape(final byte[] infoHash, final int offset, final long nowMs, final ScrapeStats out)
    {
        scrapes++;
        probe.wrap(infoHash, offset);
        if (config.whitelist() != null && !config.whitelist().contains(probe))
        {
            refusedNotWhitelisted++;
            return false;
        }
        out.complete = 0;
        out.incomplete = 0;
        out.downloaded = 0;
        final Swarm swarm = swarms.get(probe);
        if (swarm != null)
        {
            sweepIfDue(swarm, nowMs);
            out.complete = swarm.seeds();
            out.incomplete = swarm.leechers;
            out.downloaded = swarm.downloaded;
            dropIfEmpty(swarm);
        }
        return true;
    }

    /** Removes every peer silent for 2 x interval and every empty swarm; returns the peers removed. */
    public int expire(final long nowMs)
    {
        int removed = 0;
        final Iterator<Swarm> it = swarms.values().iterator();
        while (it.hasNext())
        {
            final Swarm swarm = it.next();
            if (nowMs >= swarm.earliestExpiryMs)
            {
                removed += swarm.expire(nowMs, timeoutMs);
            }
            if (swarm.count == 0)
            {
                it.remove();
            }
        }
        peers -= removed;
        expiredPeers += removed;
        return removed;
    }

    private void sweepIfDue(final Swarm swarm, final long nowMs)
    {
        if (nowMs >= swarm.earliestExpiryMs)
        {
            final int removed = swarm.expire(nowMs, timeoutMs);
            peers -= removed;
            expiredPeers += removed;
        }
    }

    /** Drops the swarm under the current probe if it has no peers left. */
    private void dropIfEmpty(final Swarm swarm)
    {
        if (swarm.count == 0)
        {
            swarms.remove(probe);
        }
    }

    private static void fillCounts(final Swarm swarm, final AnnounceResult result)
    {
        result.complete = swarm.seeds();
        result.incomplete = swarm.leechers;
    }

    /**
     * Picks up to {@code numWant} peers other than {@code self}, leechers only if {@code leechersOnly}: all of them
     * when few enough,
     * else a walk over the range from a random start with a random stride coprime with its size, which visits each
     * slot once in a shuffled order without allocating.
     */
    private void selectPeers(
        final Swarm swarm, final int self, final boolean leechersOnly, final int numWant, final AnnounceResult result)
    {
        final int n = leechersOnly ? swarm.leechers : swarm.count;
        final int available = self < n ? n - 1 : n;
        final int want = Math.min(numWant, available);
        if (want <= 0)
        {
            return;
        }
        if (want == available)
        {
            for (int slot = 0; slot < n; slot++)
            {
                if (slot != self)
                {
                    result.addPeer(swarm, slot);
                }
            }
            return;
        }
        int stride = 1 + nextInt(n - 1);
        while (gcd(stride, n) != 1)
        {
            stride = 1 + nextInt(n - 1);
        }
        int slot = nextInt(n);
        int taken = 0;
        for (int i = 0; i < n && taken < want; i++)
        {
            if (slot != self)
            {
                result.addPeer(swarm, slot);
                taken++;
            }
            slot += stride;
            if (slot >= n)
            {
                slot -= n;
            }
        }
    }

    private int nextInt(final int bound)
    {
        long x = randomState;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        randomState = x;
        return (int)(((x >>> 32) * bound) >>> 32);
    }

    private static int gcd(final int a, final int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            final int t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    public int swarmCount()
    {
        return swarms.size();
    }

    public long peerCount()
    {
        return peers;
    }

    public long announces()
    {
        return announces;
    }

    public long scrapes()
    {
        return scrapes;
    }

    public long expiredPeers()
    {
        return expiredPeers;
    }

    public long refusedNotWhitelisted()
    {
        return refusedNotWhitelisted;
    }

    public long refusedTooManySwarms()
    {
        return refusedTooManySwarms;
    }

    public long refusedSwarmFull()
    {
        return refusedSwarmFull;
    }

    public long refusedTrackerFull()
    {
        return refusedTrackerFull;
    }
}
