package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs iterative lookups over {@link Rpc}: at most {@code maxLookups} at once (more wait in a bounded queue), each
 * with alpha queries in flight, seeded from the routing table's closest nodes, fed by the nodes each answer names,
 * ended when {@link Lookup#done()} or its deadline passes. A get_peers lookup hands new peers to its listener as they
 * come; one that announces then sends announce_peer, with the token each gave, to the K closest that answered.
 * A lookup asked for while the table is empty waits for the bootstrap (up to its deadline). Owned by the DHT thread.
 */
final class Lookups
{
    /** One lookup and who wants its outcome. */
    private final class Running
    {
        final Lookup lookup;
        final long deadlineNs;
        final int announcePort;
        final List<Contact> seeds;
        final Consumer<List<InetSocketAddress>> onPeers;
        final Consumer<Lookup> onDone;
        boolean finished;

        Running(final Lookup lookup, final long deadlineNs, final int announcePort, final List<Contact> seeds,
            final Consumer<List<InetSocketAddress>> onPeers, final Consumer<Lookup> onDone)
        {
            this.lookup = lookup;
            this.deadlineNs = deadlineNs;
            this.announcePort = announcePort;
            this.seeds = seeds;
            this.onPeers = onPeers;
            this.onDone = onDone;
        }
    }

    private final NodeId self;
    private final RoutingTable table;
    private final Rpc rpc;
    private final DhtCounters counters;
    private final DhtConfig config;
    private final LongSupplier clock;
    private final List<Running> running = new ArrayList<>();
    private final ArrayDeque<Running> waiting = new ArrayDeque<>();

    Lookups(final NodeId self, final RoutingTable table, final Rpc rpc, final DhtCounters counters,
        final DhtConfig config, final LongSupplier clock)
    {
        this.clock = clock;
        this.self = self;
        this.table = table;
        this.rpc = rpc;
        this.counters = counters;
        this.config = config;
    }

    /**
     * Queues a lookup.
     *
     * @param announcePort -1 for none, 0 for implied_port (our UDP port), else the TCP port to announce.
     * @param seeds        nodes to ask besides the table's (saved nodes at bootstrap); may be empty.
     * @param onPeers      new peers as they come (get_peers), may be null.
     * @param onDone       the finished lookup.
     * @return false when too many lookups wait already.
     */
    boolean start(final NodeId target, final boolean getPeers, final int announcePort, final List<Contact> seeds,
        final Consumer<List<InetSocketAddress>> onPeers, final Consumer<Lookup> onDone, final long nowNs)
    {
        if (waiting.size() >= config.maxLookups() * 8)
        {
            return false;
        }
        final Lookup lookup = new Lookup(target, getPeers, config.alpha(), config.maxQueriesPerLookup());
        waiting.add(new Running(lookup, nowNs + config.lookupTimeoutNs(), announcePort, seeds, onPeers, onDone));
        tick(nowNs);
        return true;
    }

    int active()
    {
        return running.size() + waiting.size();
    }

    /** Starts waiting lookups when there is room and someone to ask; ends those past their deadline. */
    void tick(final long nowNs)
    {
        final Iterator<Running> queued = waiting.iterator();
        while (queued.hasNext() && running.size() < config.maxLookups())
        {
            final Running r = queued.next();
            if (!r.seeds.isEmpty() || table.size() > 0 || nowNs - r.deadlineNs >= 0)
            {
                queued.remove();
                running.add(r);
                r.lookup.offer(r.seeds, self);
                r.lookup.offer(table.closest(r.lookup.target, Lookup.MAX_CANDIDATES), self);
                pump(r, nowNs);
            }
        }
        for (final Running r : new ArrayList<>(running))
        {
            if (nowNs - r.deadlineNs >= 0)
            {
                finish(r, nowNs);
            }
        }
    }

    private void pump(final Running r, final long nowNs)
    {
        if (r.finished)
        {
            return;
        }
        for (int round = 0; round <= Lookup.MAX_CANDIDATES && !r.lookup.done(); round++)
        {
            final List<Lookup.Candidate> next = r.lookup.next();
            if (next.isEmpty())
            {
                break;
            }
            for (final Lookup.Candidate c : next)
            {
                final String method = r.lookup.getPeers ? KrpcMessage.GET_PEERS : KrpcMessage.FIND_NODE;
                if (!rpc.lookup(c.contact.address(), method, r.lookup.target, callback(r, c), nowNs))
                {
                    r.lookup.notSent(c);
                }
            }
        }
        if (r.lookup.done() || r.lookup.inFlight() == 0)
        {
            finish(r, nowNs);
        }
    }

    private Rpc.Callback callback(final Running r, final Lookup.Candidate c)
    {
        return new Rpc.Callback()
        {
            @Override
            public void onResponse(final KrpcMessage message, final Contact from)
            {
                if (r.finished)
                {
                    return;
                }
                final long nowNs = clock.getAsLong();
                r.lookup.offer(message.nodes(), self);
                final List<InetSocketAddress> fresh = r.lookup.answered(c, message.token(), message.values());
                if (!fresh.isEmpty() && r.onPeers != null)
                {
                    r.onPeers.accept(fresh);
                }
                pump(r, nowNs);
            }

            @Override
            public void onFailure()
            {
                if (!r.finished)
                {
                    r.lookup.failed(c);
                    pump(r, clock.getAsLong());
                }
            }
        };
    }

    private void finish(final Running r, final long nowNs)
    {
        if (r.finished)
        {
            return;
        }
        r.finished = true;
        running.remove(r);
        counters.increment(DhtCounter.LOOKUPS_DONE);
        if (r.announcePort >= 0)
        {
            for (final Lookup.Candidate c : r.lookup.closestWithTokens())
            {
                rpc.announcePeer(c.contact.address(), r.lookup.target, r.announcePort, c.token, Rpc.IGNORE, nowNs);
            }
        }
        r.onDone.accept(r.lookup);
    }

    /** Ends every lookup at close, so no future waits forever. */
    void closeAll()
    {
        waiting.forEach(r -> running.add(r));
        waiting.clear();
        for (final Running r : new ArrayList<>(running))
        {
            r.finished = true;
            r.onDone.accept(r.lookup);
        }
        running.clear();
    }
}
