package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of one iterative lookup (find_node or get_peers): candidates sorted by distance to the target, each new,
 * asked, answered or failed. {@link #next} hands out the closest new candidates among the K closest still alive, at
 * most alpha in flight; the lookup is done when the K closest that have not failed have all answered, or when nothing
 * is left to ask. Candidates are capped (the farthest drop off), so are the peers collected and the queries sent.
 * Pure state, no I/O: the caller sends the queries and reports back.
 */
final class Lookup
{
    /** Most candidates kept: the K closest matter, the rest are spares for failures. */
    static final int MAX_CANDIDATES = 64;
    /** Most peers a get_peers lookup collects. */
    static final int MAX_PEERS = 1000;

    enum State
    {
        NEW, ASKED, ANSWERED, FAILED
    }

    /** One node the lookup knows of. */
    static final class Candidate
    {
        final Contact contact;
        State state = State.NEW;
        byte[] token;

        Candidate(final Contact contact)
        {
            this.contact = contact;
        }
    }

    final NodeId target;
    final boolean getPeers;
    private final int alpha;
    private final int maxQueries;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Set<NodeId> seen = new HashSet<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private int inFlight;
    private int queries;

    Lookup(final NodeId target, final boolean getPeers, final int alpha, final int maxQueries)
    {
        this.target = target;
        this.getPeers = getPeers;
        this.alpha = alpha;
        this.maxQueries = maxQueries;
    }

    /** Adds nodes learned from the table or a response (ignoring ones seen before and {@code self}). */
    void offer(final List<Contact> contacts, final NodeId self)
    {
        for (final Contact c : contacts)
        {
            if (c.id().equals(self) || seen.size() >= MAX_CANDIDATES * 16 || !seen.add(c.id()))
            {
                continue;
            }
            int at = candidates.size();
            while (at > 0 && target.compareDistance(c.id(), candidates.get(at - 1).contact.id()) < 0)
            {
                at--;
            }
            if (at < MAX_CANDIDATES)
            {
                candidates.add(at, new Candidate(c));
                if (candidates.size() > MAX_CANDIDATES)
                {
                    candidates.remove(candidates.size() - 1);
                }
            }
        }
    }

    /** @return candidates to ask now (marked asked), so that at most alpha are in flight. */
    List<Candidate> next()
    {
        final List<Candidate> out = new ArrayList<>(alpha);
        int alive = 0;
        for (final Candidate c : candidates)
        {
            if (inFlight >= alpha || alive >= RoutingTable.K || queries >= maxQueries)
            {
                break;
            }
            if (c.state == State.FAILED)
            {
                continue;
            }
            alive++;
            if (c.state == State.NEW)
            {
                c.state = State.ASKED;
                inFlight++;
                queries++;
                out.add(c);
            }
        }
        return out;
    }

    /** @return the peers in {@code values} this lookup had not collected before. */
    List<InetSocketAddress> answered(final Candidate c, final byte[] token, final List<InetSocketAddress> values)
    {
        inFlight--;
        c.state = State.ANSWERED;
        c.token = token;
        final List<InetSocketAddress> fresh = new ArrayList<>();
        for (final InetSocketAddress peer : values)
        {
            if (peers.size() < MAX_PEERS && peers.add(peer))
            {
                fresh.add(peer);
            }
        }
        return fresh;
    }

    void failed(final Candidate c)
    {
        inFlight--;
        c.state = State.FAILED;
    }

    /** A candidate that could not be asked at all (the send was refused): it counts as failed. */
    void notSent(final Candidate c)
    {
        failed(c);
    }

    /** @return whether the K closest live candidates have answered, or the query budget is spent and none waits. */
    boolean done()
    {
        if (queries >= maxQueries && inFlight == 0)
        {
            return true;
        }
        int alive = 0;
        for (final Candidate c : candidates)
        {
            if (alive >= RoutingTable.K)
            {
                break;
            }
            if (c.state != State.FAILED)
            {
                alive++;
                if (c.state != State.ANSWERED)
                {
                    return false;
                }
            }
        }
        return true;
    }

    int inFlight()
    {
        return inFlight;
    }

    /** @return the peers collected so far, in the order they came. */
    List<InetSocketAddress> peers()
    {
        return new ArrayList<>(peers);
    }

    /** @return the K closest candidates that answered with a token: where announce_peer goes. */
    List<Candidate> closestWithTokens()
    {
        final List<Candidate> out = new ArrayList<>(RoutingTable.K);
        for (final Candidate c : candidates)
        {
            if (out.size() == RoutingTable.K)
            {
                break;
            }
            if (c.state == State.ANSWERED && c.token != null)
            {
                out.add(c);
            }
        }
        return out;
    }

    /** @return the K closest candidates that answered: a find_node result. */
    List<Contact> closestAnswered()
    {
        final List<Contact> out = new ArrayList<>(RoutingTable.K);
        for (final Candidate c : candidates)
        {
            if (out.size() < RoutingTable.K && c.state == State.ANSWERED)
            {
                out.add(c.contact);
            }
        }
        return out;
    }
}
