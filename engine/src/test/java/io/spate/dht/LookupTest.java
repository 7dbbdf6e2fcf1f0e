package io.spate.dht;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An iterative lookup's state: alpha in flight, closest first, done when the k closest live ones answered. */
class LookupTest
{
    private final Random random = new Random(8);
    private final NodeId self = NodeId.random(random);
    private final NodeId target = NodeId.random(random);

    private List<Contact> contacts(final int n)
    {
        final List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            out.add(new Contact(NodeId.random(random), new InetSocketAddress("10.0.0." + (i + 1), 6881)));
        }
        return out;
    }

    @Test
    void asksAlphaClosestFirstAndEndsWhenTheKClosestAnswered()
    {
        final Lookup lookup = new Lookup(target, true, 3, 200);
        final List<Contact> known = contacts(30);
        lookup.offer(known, self);
        final List<Lookup.Candidate> first = lookup.next();
        assertEquals(3, first.size(), "alpha");
        assertTrue(lookup.next().isEmpty(), "no more while alpha are in flight");
        final List<Contact> sorted = new ArrayList<>(known);
        sorted.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        assertEquals(sorted.subList(0, 3), first.stream().map(c -> c.contact).toList(), "closest first");

        lookup.answered(first.get(0), new byte[] {1}, List.of(new InetSocketAddress("10.9.9.9", 1)));
        lookup.failed(first.get(1));
        final List<Lookup.Candidate> pending = new ArrayList<>(lookup.next());
        assertEquals(2, pending.size(), "slots freed by an answer and a failure");
        pending.add(first.get(2));
        for (int round = 0; round < 100 && !lookup.done(); round++)
        {
            for (final Lookup.Candidate c : pending)
            {
                lookup.answered(c, new byte[] {2}, List.of());
            }
            pending.clear();
            pending.addAll(lookup.next());
        }
        assertTrue(lookup.done());
        final List<Lookup.Candidate> announceTo = lookup.closestWithTokens();
        assertEquals(RoutingTable.K, announceTo.size());
        assertFalse(announceTo.stream().anyMatch(c -> c.contact.equals(first.get(1).contact)), "not the failed one");
        assertEquals(sorted.subList(0, 9).stream().filter(c -> !c.equals(first.get(1).contact)).toList(),
            announceTo.stream().map(c -> c.contact).toList(), "the k closest that answered");
        assertEquals(List.of(new InetSocketAddress("10.9.9.9", 1)), lookup.peers());
    }

    @Test
    void candidatesAndQueriesAreBounded()
    {
        final Lookup lookup = new Lookup(target, false, 3, 20);
        for (int i = 0; i < 50; i++)
        {
            lookup.offer(contacts(100), self);
        }
        int asked = 0;
        for (int round = 0; round < 100 && !lookup.done(); round++)
        {
            for (final Lookup.Candidate c : lookup.next())
            {
                asked++;
                lookup.failed(c); // every node fails: the lookup must still end, within its query budget
            }
        }
        assertTrue(lookup.done());
        assertEquals(20, asked);
    }

    @Test
    void timeoutsAdaptToMeasuredRoundTrips()
    {
        final long ms = TimeUnit.MILLISECONDS.toNanos(1);
        final RttEstimator rtt = new RttEstimator(50 * ms, 2_000 * ms, 5_000 * ms);
        assertEquals(2_000 * ms, rtt.timeoutNs(), "initial before any sample");
        for (int i = 0; i < 50; i++)
        {
            rtt.sample(100 * ms);
        }
        assertTrue(rtt.timeoutNs() >= 100 * ms && rtt.timeoutNs() < 150 * ms, "near a steady RTT: " + rtt.timeoutNs());
        for (int i = 0; i < 50; i++)
        {
            rtt.sample(i % 2 == 0 ? 20 * ms : 400 * ms);
        }
        assertTrue(rtt.timeoutNs() > 400 * ms, "jitter widens the timeout: " + rtt.timeoutNs());
        for (int i = 0; i < 50; i++)
        {
            rtt.sample(1);
        }
        assertEquals(50 * ms, rtt.timeoutNs(), "never below the minimum");
    }
}
