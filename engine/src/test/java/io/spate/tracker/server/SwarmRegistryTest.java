package io.spate.tracker.server;

import io.spate.tracker.AnnounceEvent;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmRegistryTest
{
    private static final int INTERVAL = 100;
    private static final long TIMEOUT_MS = 2_000L * INTERVAL;

    private final byte[] hashA = hash('A');
    private final byte[] hashB = hash('B');

    static byte[] hash(final int fill)
    {
        final byte[] h = new byte[20];
        java.util.Arrays.fill(h, (byte)fill);
        return h;
    }

    static byte[] peerId(final int n)
    {
        final byte[] id = "-SP0001-000000000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final String digits = String.format("%012d", n);
        for (int i = 0; i < 12; i++)
        {
            id[8 + i] = (byte)digits.charAt(i);
        }
        return id;
    }

    static byte[] v4(final int last)
    {
        return new byte[] {10, 0, 0, (byte)last};
    }

    private static SwarmRegistry registry()
    {
        return new SwarmRegistry(TrackerConfig.withInterval(INTERVAL), 42);
    }

    private static Set<String> endpoints(final AnnounceResult r)
    {
        final Set<String> out = new HashSet<>();
        for (int i = 0; i < r.peerCount(); i++)
        {
            out.add(java.util.Arrays.toString(PeerAddress.toBytes(r.addressHi(i), r.addressLo(i))) + ":" + r.port(i));
        }
        assertEquals(r.peerCount(), out.size(), "a reply never repeats a peer");
        return out;
    }

    /** Peers {@code first..last} (at 10.0.0.i:6881) announce {@code started} on {@code hashA} at time 0. */
    private void startPeers(final SwarmRegistry registry, final int first, final int last, final long left,
        final int numWant)
    {
        for (int i = first; i <= last; i++)
        {
            registry.announce(hashA, peerId(i), v4(i), 6881, left, AnnounceEvent.STARTED, numWant, 0);
        }
    }

    private static String endpoint(final byte[] address, final int port)
    {
        return java.util.Arrays.toString(address) + ":" + port;
    }

    @Test
    void firstPeerGetsNoPeersAndIsCounted()
    {
        final SwarmRegistry registry = registry();
        final AnnounceResult r = registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        assertEquals(AnnounceResult.Status.OK, r.status());
        assertEquals(0, r.peerCount());
        assertEquals(0, r.complete());
        assertEquals(1, r.incomplete());
        assertEquals(INTERVAL, r.intervalSeconds());
        assertEquals(INTERVAL / 2, r.minIntervalSeconds());
        assertEquals(1, registry.swarmCount());
        assertEquals(1, registry.peerCount());
    }

    @Test
    void replyHoldsEveryOtherPeerButNeverTheAsker()
    {
        final SwarmRegistry registry = registry();
        startPeers(registry, 1, 10, 100, 50);
        final AnnounceResult r = registry.announce(hashA, peerId(5), v4(5), 6881, 100, AnnounceEvent.NONE, 50, 1);
        final Set<String> got = endpoints(r);
        assertEquals(9, got.size());
        assertFalse(got.contains(endpoint(v4(5), 6881)));
        assertEquals(10, r.incomplete());
        assertEquals(10, registry.peerCount(), "a re-announce does not add a peer");
    }

    @Test
    void sameAddressOtherPortIsAnotherPeer()
    {
        final SwarmRegistry registry = registry();
        registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        final AnnounceResult r = registry.announce(hashA, peerId(2), v4(1), 6882, 100, AnnounceEvent.STARTED, 50, 0);
        assertEquals(Set.of(endpoint(v4(1), 6881)), endpoints(r));
    }

    @Test
    void seedIsSentLeechersOnly()
    {
        final SwarmRegistry registry = registry();
        startPeers(registry, 1, 5, 0, 50);
        startPeers(registry, 6, 8, 7, 50);
        final AnnounceResult seed = registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.NONE, 50, 0);
        assertEquals(Set.of(endpoint(v4(6), 6881), endpoint(v4(7), 6881), endpoint(v4(8), 6881)), endpoints(seed));
        assertEquals(5, seed.complete());
        assertEquals(3, seed.incomplete());
        final AnnounceResult leecher = registry.announce(hashA, peerId(6), v4(6), 6881, 7, AnnounceEvent.NONE, 50, 0);
        assertEquals(7, endpoints(leecher).size(), "a leecher gets seeds and leechers");
    }

    /** aria2 from a magnet link announces left=0 before it has the metadata: its first announce must meet seeds. */
    @Test
    void aStartedAnnounceWithNothingLeftGetsSeedsTooLaterOnesLeechersOnly()
    {
        final SwarmRegistry registry = registry();
        registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hashA, peerId(2), v4(2), 6881, 9, AnnounceEvent.STARTED, 50, 0);
        final AnnounceResult started = registry.announce(hashA, peerId(3), v4(3), 6881, 0, AnnounceEvent.STARTED, 50,
            0);
        assertEquals(Set.of(endpoint(v4(1), 6881), endpoint(v4(2), 6881)), endpoints(started));
        final AnnounceResult again = registry.announce(hashA, peerId(3), v4(3), 6881, 0, AnnounceEvent.NONE, 50, 0);
        assertEquals(Set.of(endpoint(v4(2), 6881)), endpoints(again));
    }

    @Test
    void numWantBoundsTheReplyAndSubsetsVary()
    {
        final SwarmRegistry registry = registry();
        startPeers(registry, 1, 100, 100, 0);
        final Set<Set<String>> distinct = new HashSet<>();
        final Set<String> union = new HashSet<>();
        for (int round = 0; round < 50; round++)
        {
            final AnnounceResult r = registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.NONE, 10, 0);
            final Set<String> got = endpoints(r);
            assertEquals(10, got.size());
            assertFalse(got.contains(endpoint(v4(1), 6881)));
            distinct.add(got);
            union.addAll(got);
        }
        assertTrue(distinct.size() > 40, "subsets should be random, got " + distinct.size() + " distinct of 50");
        assertTrue(union.size() > 90, "over 50 replies nearly every peer is handed out, got " + union.size());
        final AnnounceResult none = registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.NONE, 0, 0);
        assertEquals(0, none.peerCount());
    }

    @Test
    void numWantIsCappedAt200()
    {
        final SwarmRegistry registry = registry();
        for (int i = 1; i <= 300; i++)
        {
            registry.announce(hashA, peerId(i), new byte[] {10, 0, (byte)(i >> 8), (byte)i}, 6881, 100,
                AnnounceEvent.STARTED, 0, 0);
        }
        final AnnounceResult r = registry.announce(hashA, peerId(1), v4(1), 1, 100, AnnounceEvent.NONE, 1000, 0);
        assertEquals(200, endpoints(r).size());
    }

    @Test
    void stoppedRemovesThePeerAndEmptySwarmsGo()
    {
        final SwarmRegistry registry = registry();
        registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hashA, peerId(2), v4(2), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        final AnnounceResult stop = registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STOPPED, 50, 0);
        assertEquals(0, stop.peerCount());
        assertEquals(1, stop.incomplete());
        final AnnounceResult other = registry.announce(hashA, peerId(2), v4(2), 6881, 100, AnnounceEvent.NONE, 50, 0);
        assertEquals(0, other.peerCount());
        registry.announce(hashA, peerId(2), v4(2), 6881, 100, AnnounceEvent.STOPPED, 50, 0);
        assertEquals(0, registry.swarmCount());
        assertEquals(0, registry.peerCount());
        registry.announce(hashB, peerId(3), v4(3), 6881, 100, AnnounceEvent.STOPPED, 50, 0);
        assertEquals(0, registry.swarmCount(), "stopped never creates a swarm");
    }

    @Test
    void completedCountsInScrapeDownloadedOnce()
    {
        final SwarmRegistry registry = registry();
        registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hashA, peerId(2), v4(2), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.COMPLETED, 50, 1);
        registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.COMPLETED, 50, 2); // a retried event
        final ScrapeStats stats = new ScrapeStats();
        assertTrue(registry.scrape(hashA, 0, 3, stats));
        assertEquals(1, stats.complete());
        assertEquals(1, stats.incomplete());
        assertEquals(1, stats.downloaded());
        assertTrue(registry.scrape(hashB, 0, 3, stats));
        assertEquals(0, stats.complete() + stats.incomplete() + stats.downloaded());
        assertEquals(1, registry.swarmCount(), "scrape never creates a swarm");
    }

    @Test
    void seedBecomingLeecherAgainMovesBack()
    {
        final SwarmRegistry registry = registry();
        registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hashA, peerId(2), v4(2), 6881, 0, AnnounceEvent.STARTED, 50, 0);
        AnnounceResult r = registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.NONE, 50, 0);
        assertEquals(0, r.peerCount(), "seed gets no seeds");
        registry.announce(hashA, peerId(2), v4(2), 6881, 5, AnnounceEvent.NONE, 50, 0);
        r = registry.announce(hashA, peerId(1), v4(1), 6881, 0, AnnounceEvent.NONE, 50, 0);
        assertEquals(Set.of(endpoint(v4(2), 6881)), endpoints(r));
        assertEquals(1, r.complete());
        assertEquals(1, r.incomplete());
    }

    @Test
    void ipv6PeersAreKeptApartFromIpv4()
    {
        final SwarmRegistry registry = registry();
        final byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 1;
        registry.announce(hashA, peerId(1), v6, 6881, 100, AnnounceEvent.STARTED, 50, 0);
        final AnnounceResult r = registry.announce(hashA, peerId(2), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        assertEquals(1, r.peerCount());
        assertFalse(r.isV4(0));
        assertEquals(endpoint(v6, 6881), endpoints(r).iterator().next());
        final byte[] mapped = new byte[16];
        mapped[10] = (byte)0xFF;
        mapped[11] = (byte)0xFF;
        mapped[12] = 10;
        mapped[15] = 1;
        final AnnounceResult same = registry.announce(hashA, peerId(2), mapped, 6881, 100, AnnounceEvent.NONE, 50, 0);
        assertEquals(2, same.incomplete(), "an IPv4-mapped address is the same peer as its IPv4 form");
    }

    @Test
    void silentPeersExpireAfterTwiceTheInterval()
    {
        final SwarmRegistry registry = registry();
        registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 1_000);
        registry.announce(hashA, peerId(2), v4(2), 6881, 100, AnnounceEvent.STARTED, 50, 1_000 + TIMEOUT_MS / 2);

        AnnounceResult r = registry.announce(hashA, peerId(3), v4(3), 6881, 100, AnnounceEvent.STARTED, 50,
            1_000 + TIMEOUT_MS - 1);
        assertEquals(2, r.peerCount(), "one millisecond before 2 x interval the first peer is still listed");

        r = registry.announce(hashA, peerId(3), v4(3), 6881, 100, AnnounceEvent.NONE, 50, 1_000 + TIMEOUT_MS);
        assertEquals(Set.of(endpoint(v4(2), 6881)), endpoints(r), "at 2 x interval it is gone");
        assertEquals(2, r.incomplete());
        assertEquals(1, registry.expiredPeers());

        final ScrapeStats stats = new ScrapeStats();
        registry.scrape(hashA, 0, 1_000 + TIMEOUT_MS + TIMEOUT_MS / 2, stats);
        assertEquals(1, stats.incomplete(), "scrape sweeps too: peer 2 expired, peer 3 remains");

        assertEquals(1, registry.expire(10 * TIMEOUT_MS));
        assertEquals(0, registry.peerCount());
        assertEquals(0, registry.swarmCount(), "expire() drops emptied swarms");
    }

    @Test
    void reannouncingKeepsAPeerAlive()
    {
        final SwarmRegistry registry = registry();
        long now = 0;
        registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, now);
        for (int i = 0; i < 10; i++)
        {
            now += TIMEOUT_MS - 1;
            registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.NONE, 50, now);
            assertEquals(0, registry.expire(now));
        }
        assertEquals(1, registry.peerCount());
    }

    @Test
    void boundsRefuseAndCount()
    {
        final SwarmRegistry registry = new SwarmRegistry(TrackerConfig.withInterval(INTERVAL).limits(2, 3, 100), 1);
        registry.announce(hash(1), peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hash(2), peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        final AnnounceResult third = registry.announce(hash(3), peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED,
            50, 0);
        assertEquals(AnnounceResult.Status.TOO_MANY_SWARMS, third.status());
        assertEquals(1, registry.refusedTooManySwarms());
        assertEquals(2, registry.swarmCount());

        registry.announce(hash(1), peerId(2), v4(2), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hash(1), peerId(3), v4(3), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        final AnnounceResult full = registry.announce(hash(1), peerId(4), v4(4), 6881, 100, AnnounceEvent.STARTED,
            50, 0);
        assertEquals(AnnounceResult.Status.SWARM_FULL, full.status());
        assertEquals(1, registry.refusedSwarmFull());
        final AnnounceResult known = registry.announce(hash(1), peerId(3), v4(3), 6881, 100, AnnounceEvent.NONE, 50, 0);
        assertEquals(AnnounceResult.Status.OK, known.status(), "peers already in a full swarm still re-announce");
        assertEquals(4, registry.peerCount());
    }

    @Test
    void totalPeerBoundRefusesAndCreatesNoSwarm()
    {
        final SwarmRegistry registry = new SwarmRegistry(TrackerConfig.withInterval(INTERVAL).limits(10, 10, 2), 1);
        registry.announce(hash(1), peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        registry.announce(hash(1), peerId(2), v4(2), 6881, 100, AnnounceEvent.STARTED, 50, 0);
        assertEquals(AnnounceResult.Status.TRACKER_FULL,
            registry.announce(hash(1), peerId(3), v4(3), 6881, 100, AnnounceEvent.STARTED, 50, 0).status());
        assertEquals(AnnounceResult.Status.TRACKER_FULL,
            registry.announce(hash(2), peerId(3), v4(3), 6881, 100, AnnounceEvent.STARTED, 50, 0).status());
        assertEquals(2, registry.refusedTrackerFull());
        assertEquals(1, registry.swarmCount(), "a refused peer leaves no empty swarm behind");
        registry.announce(hash(1), peerId(2), v4(2), 6881, 100, AnnounceEvent.STOPPED, 50, 0);
        assertEquals(AnnounceResult.Status.OK,
            registry.announce(hash(2), peerId(3), v4(3), 6881, 100, AnnounceEvent.STARTED, 50, 0).status());
    }

    @Test
    void whitelistRefusesOtherHashes()
    {
        final SwarmRegistry registry = new SwarmRegistry(
            TrackerConfig.withInterval(INTERVAL).whitelist(Whitelist.of(List.of(hashA))), 1);
        assertEquals(AnnounceResult.Status.OK,
            registry.announce(hashA, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0).status());
        assertEquals(AnnounceResult.Status.NOT_WHITELISTED,
            registry.announce(hashB, peerId(1), v4(1), 6881, 100, AnnounceEvent.STARTED, 50, 0).status());
        assertFalse(registry.scrape(hashB, 0, 0, new ScrapeStats()));
        assertEquals(2, registry.refusedNotWhitelisted());
        assertEquals(1, registry.swarmCount());
    }

    /** Random announces, stops and expiries against a plain map model: the compact index must agree with it. */
    @Test
    void agreesWithAModelUnderRandomOperations()
    {
        final SwarmRegistry registry = new SwarmRegistry(TrackerConfig.withInterval(1), 7);
        final Random random = new Random(12345);
        final Map<Integer, long[]> model = new HashMap<>(); // endpoint key -> {lastSeen, left}
        final Set<Integer> expected = new HashSet<>();
        final Set<Integer> got = new HashSet<>();
        int exact = 0;
        int sampled = 0;
        long now = 0;
        for (int op = 0; op < 20_000; op++)
        {
            now += random.nextInt(10); // about 440 announces per timeout: swarms around 200, both reply paths
            final int n = random.nextInt(150);
            final byte[] address = new byte[] {10, 0, (byte)(n >> 8), (byte)n};
            final int port = 1000 + random.nextInt(3);
            final int key = n * 8 + port - 1000;
            final long left = random.nextInt(3) == 0 ? 0 : 5;
            final int kind = random.nextInt(10);
            final AnnounceEvent event = kind == 0 ? AnnounceEvent.STOPPED :
                (kind == 1 ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE);
            final long nowFinal = now;
            model.values().removeIf(v -> v[0] + 2000 <= nowFinal);
            if (event == AnnounceEvent.STOPPED)
            {
                model.remove(key);
            }
            else
            {
                model.put(key, new long[] {now, left});
            }
            final AnnounceResult r = registry.announce(hashA, peerId(n), address, port, left, event, 200, now);
            long seeds = 0;
            expected.clear();
            for (final Map.Entry<Integer, long[]> e : model.entrySet())
            {
                seeds += e.getValue()[1] == 0 ? 1 : 0;
                if (e.getKey() != key && (left != 0 || e.getValue()[1] != 0))
                {
                    expected.add(e.getKey());
                }
            }
            assertEquals(seeds, r.complete(), "seeds at op " + op);
            assertEquals(model.size() - seeds, r.incomplete(), "leechers at op " + op);
            if (event != AnnounceEvent.STOPPED)
            {
                got.clear();
                for (int i = 0; i < r.peerCount(); i++)
                {
                    got.add((int)(r.addressLo(i) & 0xFFFF) * 8 + r.port(i) - 1000);
                }
                assertEquals(r.peerCount(), got.size(), "no peer twice at op " + op);
                if (expected.size() <= 200)
                {
                    assertEquals(expected, got, "peers at op " + op);
                    exact++;
                }
                else
                {
                    assertEquals(200, got.size());
                    assertTrue(expected.containsAll(got), "peers at op " + op);
                    sampled++;
                }
            }
        }
        assertEquals(model.size(), registry.peerCount());
        assertNotEquals(0, registry.expiredPeers());
        assertTrue(exact > 1000 && sampled > 1000, "both reply paths exercised: " + exact + " / " + sampled);
    }
}
