package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * BEP 5's routing table. Bucket {@code i} holds the nodes whose ids share exactly {@code i} leading bits with ours;
 * the last bucket holds every node sharing more, and is the only one that splits (it is the one "holding our id"),
 * so the table has at most 160 buckets of {@link #K} nodes, and at most {@code maxBuckets} of them. A full bucket
 * takes a new node only in place of a bad one; otherwise the newcomer waits in a small replacement cache and the
 * caller pings the bucket's least recently seen questionable node: if it fails twice it is replaced.
 * Only nodes that answered one of our queries get in ({@link #onResponse}); the rest are pinged first. One entry per
 * UDP address, so a source cannot fill a bucket by cycling ids. Time is passed in; owned by the DHT thread.
 */
public final class RoutingTable
{
    /** Nodes per bucket (BEP 5). */
    public static final int K = 8;
    /** A bucket unchanged this long is refreshed with a lookup of a random id in its range. */
    public static final long REFRESH_NS = TimeUnit.MINUTES.toNanos(15);

    private final NodeId self;
    private final int maxBuckets;
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<InetSocketAddress, RoutingEntry> byAddress = new HashMap<>();

    /** One range of the id space. */
    private static final class Bucket
    {
        final List<RoutingEntry> entries = new ArrayList<>(K);
        final List<Contact> replacements = new ArrayList<>(K);
        long lastChangedNs;

        Bucket(final long nowNs)
        {
            lastChangedNs = nowNs;
        }
    }

    /** @param maxBuckets at most 160; fewer bounds the table tighter (K times this many nodes). */
    public RoutingTable(final NodeId self, final int maxBuckets, final long nowNs)
    {
        if (maxBuckets < 1 || maxBuckets > NodeId.BITS)
        {
            throw new IllegalArgumentException("maxBuckets must be 1-160: " + maxBuckets);
        }
        this.self = self;
        this.maxBuckets = maxBuckets;
        buckets.add(new Bucket(nowNs));
    }

    public NodeId self()
    {
        return self;
    }

    /** @return nodes in the table (bounded by K times the bucket count). */
    public int size()
    {
        return byAddress.size();
    }

    public int bucketCount()
    {
        return buckets.size();
    }

    /** @return the most nodes this table can ever hold. */
    public int capacity()
    {
        return K * maxBuckets;
    }

    /**
     * A node answered one of our queries: it is added (splitting the bucket holding our id if needed, or in place of
     * a bad node) or refreshed.
     *
     * @return a questionable node the caller should ping because the newcomer found its bucket full, or null.
     */
    public Contact onResponse(final Contact contact, final long nowNs)
    {
        if (contact.id().equals(self))
        {
            return null;
        }
        final RoutingEntry known = byAddress.get(contact.address());
        if (known != null)
        {
            if (known.contact.id().equals(contact.id()))
            {
                known.everResponded = true;
                known.lastResponseNs = nowNs;
                known.failures = 0;
                bucketOf(contact.id()).lastChangedNs = nowNs;
            }
            return null; // another id at a known address: the first one stays until it goes bad
        }
        for (int attempt = 0; attempt <= NodeId.BITS; attempt++)
        {
            final int index = indexOf(contact.id());
            final Bucket bucket = buckets.get(index);
            if (findById(bucket, contact.id()) != null)
            {
                return null; // the same id from a new address: keep the address that answered first
            }
            if (bucket.entries.size() < K)
            {
                add(bucket, contact, nowNs);
                return null;
            }
            if (index == buckets.size() - 1 && buckets.size() < maxBuckets)
            {
                split(nowNs);
                continue;
            }
            for (int i = 0; i < bucket.entries.size(); i++)
            {
                if (bucket.entries.get(i).bad())
                {
                    byAddress.remove(bucket.entries.remove(i).contact.address());
                    add(bucket, contact, nowNs);
                    return null;
                }
            }
            remember(bucket, contact);
            return stalest(bucket, nowNs);
        }
        return null;
    }

    /** A node sent us a query: if it is in the table it stays good for another 15 minutes. */
    public void onQuery(final Contact contact, final long nowNs)
    {
        final RoutingEntry known = byAddress.get(contact.address());
        if (known != null && known.contact.id().equals(contact.id()))
        {
            known.lastQueryNs = nowNs;
        }
    }

    /** A query to {@code address} went unanswered: after two in a row the node is bad and a waiting one replaces it. */
    public void onTimeout(final InetSocketAddress address)
    {
        final RoutingEntry known = byAddress.get(address);
        if (known == null)
        {
            return;
        }
        known.failures++;
        final Bucket bucket = buckets.get(indexOf(known.contact.id()));
        if (known.bad() && !bucket.replacements.isEmpty())
        {
            bucket.entries.remove(known);
            byAddress.remove(address);
            // the replacement has not answered yet; it is pinged by the caller and enters on its response
        }
    }

    /** @return whether a node that answered now would get in (room, a split, or a bad node to replace). */
    public boolean wouldAccept(final NodeId id)
    {
        if (id.equals(self))
        {
            return false;
        }
        final int index = indexOf(id);
        final Bucket bucket = buckets.get(index);
        return findById(bucket, id) == null && (bucket.entries.size() < K ||
            (index == buckets.size() - 1 && buckets.size() < maxBuckets) ||
            bucket.entries.stream().anyMatch(RoutingEntry::bad));
    }

    public boolean contains(final NodeId id)
    {
        return findById(buckets.get(indexOf(id)), id) != null;
    }

    /** @return up to {@code n} nodes that are not bad, closest to {@code target} first. */
    public List<Contact> closest(final NodeId target, final int n)
    {
        final List<Contact> all = new ArrayList<>(byAddress.size());
        for (final RoutingEntry e : byAddress.values())
        {
            if (!e.bad())
            {
                all.add(e.contact);
            }
        }
        all.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return all.size() > n ? new ArrayList<>(all.subList(0, n)) : all;
    }

    /** @return every node that has answered us, good ones first: what a daemon saves to bootstrap from next time. */
    public List<Contact> export(final long nowNs)
    {
        final List<RoutingEntry> all = new ArrayList<>(byAddress.values());
        all.removeIf(e -> !e.everResponded || e.bad());
        all.sort(Comparator.comparing((RoutingEntry e) -> !e.good(nowNs)).thenComparing(e -> -e.lastSeenNs()));
        final List<Contact> out = new ArrayList<>(all.size());
        all.forEach(e -> out.add(e.contact));
        return out;
    }

    /**
     * Maintenance: nodes to ping (questionable ones not pinged for a minute, and replacements waiting for a bad
     * node's place) and ids to look up for buckets unchanged for 15 minutes; at most {@code max} of each.
     */
    public void due(final long nowNs, final int max, final List<Contact> toPing, final List<NodeId> toRefresh,
        final Random random)
    {
        for (int i = 0; i < buckets.size(); i++)
        {
            final Bucket bucket = buckets.get(i);
            for (final RoutingEntry e : bucket.entries)
            {
                if (toPing.size() < max && !e.good(nowNs) && nowNs - e.lastPingNs >= TimeUnit.MINUTES.toNanos(1))
                {
                    e.lastPingNs = nowNs;
                    toPing.add(e.contact);
                }
            }
            if (bucket.entries.size() < K && !bucket.replacements.isEmpty() && toPing.size() < max)
            {
                toPing.add(bucket.replacements.remove(bucket.replacements.size() - 1));
            }
            if (toRefresh.size() < max && nowNs - bucket.lastChangedNs >= REFRESH_NS)
            {
                bucket.lastChangedNs = nowNs;
                toRefresh.add(self.randomWithPrefix(Math.min(i, NodeId.BITS - 1), random));
            }
        }
    }

    private int indexOf(final NodeId id)
    {
        return Math.min(self.commonPrefixBits(id), buckets.size() - 1);
    }

    private Bucket bucketOf(final NodeId id)
    {
        return buckets.get(indexOf(id));
    }

    private void add(final Bucket bucket, final Contact contact, final long nowNs)
    {
        final RoutingEntry entry = new RoutingEntry(contact, nowNs);
        entry.everResponded = true;
        bucket.entries.add(entry);
        bucket.lastChangedNs = nowNs;
        bucket.replacements.removeIf(c -> c.id().equals(contact.id()));
        byAddress.put(contact.address(), entry);
    }

    private static void remember(final Bucket bucket, final Contact contact)
    {
        bucket.replacements.removeIf(c -> c.id().equals(contact.id()) || c.address().equals(contact.address()));
        if (bucket.replacements.size() == K)
        {
            bucket.replacements.remove(0); // the oldest candidate goes; newer ones are likelier alive
        }
        bucket.replacements.add(contact);
    }

    private static Contact stalest(final Bucket bucket, final long nowNs)
    {
        RoutingEntry stalest = null;
        for (final RoutingEntry e : bucket.entries)
        {
            if (!e.good(nowNs) && (stalest == null || e.lastSeenNs() < stalest.lastSeenNs()))
            {
                stalest = e;
            }
        }
        if (stalest == null || nowNs - stalest.lastPingNs < TimeUnit.SECONDS.toNanos(10))
        {
            return null;
        }
        stalest.lastPingNs = nowNs;
        return stalest.contact;
    }

    /** Splits the last bucket (the one holding our id): nodes sharing one more bit with us move to a new last one. */
    private void split(final long nowNs)
    {
        final int last = buckets.size() - 1;
        final Bucket old = buckets.get(last);
        final Bucket next = new Bucket(nowNs);
        old.entries.removeIf(e ->
        {
            if (self.commonPrefixBits(e.contact.id()) > last)
            {
                next.entries.add(e);
                return true;
            }
            return false;
        });
        old.replacements.removeIf(c ->
        {
            if (self.commonPrefixBits(c.id()) > last)
            {
                next.replacements.add(c);
                return true;
            }
            return false;
        });
        buckets.add(next);
    }

    private static RoutingEntry findById(final Bucket bucket, final NodeId id)
    {
        for (final RoutingEntry e : bucket.entries)
        {
            if (e.contact.id().equals(id))
            {
                return e;
            }
        }
        return null;
    }
}
