package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Peers other nodes announced to us (announce_peer), per info-hash, for get_peers answers. Bounded three ways: peers
 * per info-hash (the oldest announcement goes), info-hashes, and peers in all (a new one is refused when full, so a
 * flood cannot push out what honest nodes stored). Entries expire 30 minutes after their last announcement (BEP 5
 * clients re-announce every 15-30 minutes). Time is passed in; owned by the DHT thread.
 */
public final class PeerStore
{
    /** How long an announcement is kept. */
    public static final long TTL_NS = TimeUnit.MINUTES.toNanos(30);

    private final int maxPerInfoHash;
    private final int maxInfoHashes;
    private final int maxTotal;
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> byInfoHash = new HashMap<>();
    private int total;

    public PeerStore(final int maxPerInfoHash, final int maxInfoHashes, final int maxTotal)
    {
        this.maxPerInfoHash = maxPerInfoHash;
        this.maxInfoHashes = maxInfoHashes;
        this.maxTotal = maxTotal;
    }

    /** @return whether the peer is stored (false when a limit refused it). */
    public boolean put(final NodeId infoHash, final InetSocketAddress peer, final long nowNs)
    {
        LinkedHashMap<InetSocketAddress, Long> peers = byInfoHash.get(infoHash);
        if (peers == null)
        {
            if (byInfoHash.size() >= maxInfoHashes || total >= maxTotal)
            {
                return false;
            }
            peers = new LinkedHashMap<>();
            byInfoHash.put(infoHash, peers);
        }
        if (peers.remove(peer) != null)
        {
            peers.put(peer, nowNs + TTL_NS); // re-announced: moves to the newest end
            return true;
        }
        if (peers.size() >= maxPerInfoHash)
        {
            final Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
            oldest.next();
            oldest.remove();
            total--;
        }
        else if (total >= maxTotal)
        {
            return false;
        }
        peers.put(peer, nowNs + TTL_NS);
        total++;
        return true;
    }

    /** @return up to {@code max} live peers of the info-hash, a random choice when there are more. */
    public List<InetSocketAddress> get(final NodeId infoHash, final int max, final long nowNs, final Random random)
    {
        final LinkedHashMap<InetSocketAddress, Long> peers = byInfoHash.get(infoHash);
        if (peers == null)
        {
            return List.of();
        }
        final List<InetSocketAddress> out = new ArrayList<>(peers.size());
        peers.forEach((peer, expires) ->
        {
            if (expires - nowNs > 0)
            {
                out.add(peer);
            }
        });
        if (out.size() > max)
        {
            Collections.shuffle(out, random);
            return new ArrayList<>(out.subList(0, max));
        }
        return out;
    }

    /** Drops expired announcements. */
    public void expire(final long nowNs)
    {
        final Iterator<LinkedHashMap<InetSocketAddress, Long>> lists = byInfoHash.values().iterator();
        while (lists.hasNext())
        {
            final LinkedHashMap<InetSocketAddress, Long> peers = lists.next();
            final Iterator<Long> expiries = peers.values().iterator();
            while (expiries.hasNext())
            {
                if (expiries.next() - nowNs <= 0)
                {
                    expiries.remove();
                    total--;
                }
            }
            if (peers.isEmpty())
            {
                lists.remove();
            }
        }
    }

    /** @return peers stored in all. */
    public int size()
    {
        return total;
    }

    public int infoHashes()
    {
        return byInfoHash.size();
    }
}
