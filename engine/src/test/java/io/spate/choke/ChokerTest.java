package io.spate.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChokerTest
{
    private static final long S = 1_000_000_000L;

    /** A fake agent view: arrays indexed by peer position. */
    private static final class Peers implements ChokePeers
    {
        final int[] ids;
        final boolean[] interested;
        final long[] down;
        final long[] up;
        final boolean[] snubbed;
        final boolean[] wanted;
        final long[] total;
        int count;

        Peers(final int n)
        {
            ids = new int[n];
            interested = new boolean[n];
            down = new long[n];
            up = new long[n];
            snubbed = new boolean[n];
            wanted = new boolean[n];
            total = new long[n];
            count = n;
            for (int i = 0; i < n; i++)
            {
                ids[i] = i;
                interested[i] = true;
            }
        }

        @Override
        public int count()
        {
            return count;
        }

        @Override
        public int id(final int i)
        {
            return ids[i];
        }

        @Override
        public boolean interested(final int i)
        {
            return interested[i];
        }

        @Override
        public long downloadRate(final int i)
        {
            return down[i];
        }

        @Override
        public long uploadRate(final int i)
        {
            return up[i];
        }

        @Override
        public long uploaded(final int i)
        {
            return total[i];
        }

        @Override
        public boolean wanted(final int i)
        {
            return wanted[i];
        }

        @Override
        public boolean snubbed(final int i)
        {
            return snubbed[i];
        }
    }

    private static Set<Integer> unchokedIds(final Choker choker, final Peers peers)
    {
        final Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < peers.ids.length; i++)
        {
            if (choker.unchoked(peers.ids[i]))
            {
                ids.add(peers.ids[i]);
            }
        }
        return ids;
    }

    @Test
    void fourFastestUploadersToUsPlusOneOptimistic()
    {
        final Peers peers = new Peers(10);
        for (int i = 0; i < 10; i++)
        {
            peers.down[i] = 1000L * i;
            peers.up[i] = 1000L * (10 - i);
        }
        final Choker choker = Choker.withDefaults(1);
        assertTrue(choker.rechoke(peers, false, 0));
        assertEquals(5, choker.unchokedCount());
        final Set<Integer> unchoked = unchokedIds(choker, peers);
        assertTrue(unchoked.containsAll(Set.of(6, 7, 8, 9)), unchoked.toString());
        final int optimistic = choker.optimisticPeer();
        assertTrue(optimistic >= 0 && optimistic < 6);
        assertTrue(choker.unchoked(optimistic));
        assertEquals(5, unchoked.size());
    }

    @Test
    void seedRanksByUploadRate()
    {
        final Peers peers = new Peers(10);
        for (int i = 0; i < 10; i++)
        {
            peers.down[i] = 1000L * i;
            peers.up[i] = 1000L * (10 - i);
            peers.snubbed[i] = true; // irrelevant when seeding
        }
        final Choker choker = Choker.withDefaults(1);
        choker.rechoke(peers, true, 0);
        final Set<Integer> unchoked = unchokedIds(choker, peers);
        assertTrue(unchoked.containsAll(Set.of(0, 1, 2, 3)), unchoked.toString());
        assertEquals(5, unchoked.size());
    }

    @Test
    void uninterestedPeersAreNeverUnchoked()
    {
        final Peers peers = new Peers(8);
        for (int i = 0; i < 8; i++)
        {
            peers.down[i] = 1000L * i;
            peers.interested[i] = i < 2; // the slow two are the only interested ones
        }
        final Choker choker = Choker.withDefaults(3);
        for (long t = 0; t < 300 * S; t += 10 * S)
        {
            choker.rechoke(peers, false, t);
            assertEquals(Set.of(0, 1), unchokedIds(choker, peers), "at " + t);
            assertEquals(-1, choker.optimisticPeer(), "no one left for the optimistic slot");
        }
        java.util.Arrays.fill(peers.interested, false);
        assertTrue(choker.rechoke(peers, false, 400 * S));
        assertEquals(0, choker.unchokedCount());
        assertEquals(Set.of(), unchokedIds(choker, peers));
        choker.rechoke(peers, true, 410 * S);
        assertEquals(0, choker.unchokedCount(), "nor when seeding");
    }

    @Test
    void snubbedPeersGetNoRegularSlotWhileLeeching()
    {
        final Peers peers = new Peers(5);
        for (int i = 0; i < 5; i++)
        {
            peers.down[i] = 1000L * (i + 1);
        }
        peers.snubbed[4] = true; // the fastest, but snubbed
        final Choker choker = Choker.withDefaults(5);
        choker.rechoke(peers, false, 0);
        final Set<Integer> unchoked = unchokedIds(choker, peers);
        assertEquals(Set.of(0, 1, 2, 3, 4), unchoked, "4 regular, the snubbed one only as the optimistic");
        assertEquals(4, choker.optimisticPeer());
    }

    @Test
    void optimisticRotatesEveryThirtySeconds()
    {
        final Peers peers = new Peers(12);
        for (int i = 0; i < 4; i++)
        {
            peers.down[i] = 100_000; // four clear winners: the optimistic slot rotates among 4..11
        }
        final Choker choker = Choker.withDefaults(7);
        final Set<Integer> seen = new HashSet<>();
        int previous = -2;
        int rotations = 0;
        for (long t = 0; t <= 1200 * S; t += 10 * S)
        {
            choker.rechoke(peers, false, t);
            final int optimistic = choker.optimisticPeer();
            assertTrue(optimistic >= 4, "optimistic " + optimistic);
            assertEquals(5, choker.unchokedCount());
            if (t % (30 * S) == 0)
            {
                assertNotEquals(previous, optimistic, "rotated at " + t);
                rotations++;
            }
            else
            {
                assertEquals(previous, optimistic, "kept between rotations at " + t);
            }
            previous = optimistic;
            seen.add(optimistic);
        }
        assertEquals(41, rotations);
        assertEquals(8, seen.size(), "every choked interested peer had a turn: " + seen);
    }

    @Test
    void optimisticThatEarnsARegularSlotIsReplaced()
    {
        final Peers peers = new Peers(7);
        for (int i = 0; i < 4; i++)
        {
            peers.down[i] = 10_000;
        }
        final Choker choker = Choker.withDefaults(7);
        choker.rechoke(peers, false, 0);
        final int optimistic = choker.optimisticPeer();
        peers.down[optimistic] = 1_000_000;
        peers.down[0] = 0;
        assertTrue(choker.rechoke(peers, false, 10 * S));
        assertNotEquals(optimistic, choker.optimisticPeer());
        assertTrue(choker.unchoked(optimistic));
        assertEquals(5, choker.unchokedCount());
    }

    @Test
    void newPeersAreThreeTimesAsLikelyForTheOptimisticSlot()
    {
        int newChosen = 0;
        final int trials = 3000;
        for (int seed = 0; seed < trials; seed++)
        {
            final Peers peers = new Peers(4);
            final Choker choker = new Choker(0, 10 * S, 30 * S, seed);
            for (int id = 0; id < 3; id++)
            {
                choker.peerConnected(id, 0);
            }
            choker.peerConnected(3, 3600 * S);
            choker.rechoke(peers, false, 3600 * S);
            newChosen += choker.optimisticPeer() == 3 ? 1 : 0;
        }
        // weights 3 : 1 : 1 : 1, so the new peer half the time (plain uniform would be a quarter)
        final double share = newChosen / (double)trials;
        assertTrue(share > 0.45 && share < 0.55, "new peer share " + share);
    }

    @Test
    void stableWhenNothingChanges()
    {
        final Peers peers = new Peers(6);
        final Choker choker = Choker.withDefaults(11);
        assertTrue(choker.rechoke(peers, false, 0));
        final Set<Integer> first = unchokedIds(choker, peers);
        assertFalse(choker.rechoke(peers, false, 10 * S), "equal rates: the unchoked keep their slots");
        assertEquals(first, unchokedIds(choker, peers));
    }

    @Test
    void leavingPeerFreesItsSlot()
    {
        final Peers peers = new Peers(6);
        for (int i = 0; i < 6; i++)
        {
            peers.down[i] = 1000L * (6 - i);
        }
        final Choker choker = Choker.withDefaults(11);
        choker.rechoke(peers, false, 0);
        assertTrue(choker.unchoked(0));
        choker.peerDisconnected(0);
        assertFalse(choker.unchoked(0));
        // the agent drops it from its view and forces a rechoke
        peers.ids[0] = 5;
        peers.count = 5;
        peers.ids[5] = -1;
        peers.down[0] = 1000;
        assertTrue(choker.rechoke(peers, false, 1 * S));
        assertEquals(5, choker.unchokedCount());
        assertFalse(choker.unchoked(0));
        for (int id = 1; id <= 5; id++)
        {
            assertTrue(choker.unchoked(id), "peer " + id);
        }
    }

    @Test
    void peerMissingFromTheViewIsChoked()
    {
        final Peers peers = new Peers(3);
        final Choker choker = Choker.withDefaults(1);
        choker.rechoke(peers, false, 0);
        assertTrue(choker.unchoked(2));
        peers.count = 2;
        assertTrue(choker.rechoke(peers, false, 1 * S));
        assertFalse(choker.unchoked(2));
    }

    @Test
    void rechokeDueEveryInterval()
    {
        final Choker choker = new Choker(4, 10 * S, 30 * S, 1);
        assertTrue(choker.rechokeDue(5 * S));
        choker.rechoke(new Peers(0), false, 5 * S);
        assertFalse(choker.rechokeDue(14 * S));
        assertTrue(choker.rechokeDue(15 * S));
        assertThrows(IllegalArgumentException.class, () -> new Choker(4, 0, 30 * S, 1));
    }

    @Test
    void deterministicForASeed()
    {
        final Peers peers = new Peers(20);
        final StringBuilder a = new StringBuilder();
        final StringBuilder b = new StringBuilder();
        final Choker one = Choker.withDefaults(99);
        final Choker two = Choker.withDefaults(99);
        for (long t = 0; t < 600 * S; t += 10 * S)
        {
            one.rechoke(peers, false, t);
            two.rechoke(peers, false, t);
            a.append(unchokedIds(one, peers)).append(one.optimisticPeer());
            b.append(unchokedIds(two, peers)).append(two.optimisticPeer());
        }
        assertEquals(a.toString(), b.toString());
    }

    @Test
    void aRoundRobinSeedGivesEveryInterestedPeerATurnWhateverTheirRates()
    {
        final Peers peers = new Peers(8);
        for (int i = 0; i < 8; i++)
        {
            peers.up[i] = i < 4 ? 1_000_000 : 10; // the first four would keep their slots by rate
        }
        final Choker choker = Choker.withDefaults(Choker.SeedChoking.ROUND_ROBIN, 5);
        final int[] turns = new int[8];
        for (int round = 0; round < 6; round++)
        {
            choker.rechoke(peers, true, round * 10 * S);
            for (int id = 0; id < 8; id++)
            {
                turns[id] += choker.unchoked(id) && choker.optimisticPeer() != id ? 1 : 0;
            }
        }
        for (int id = 0; id < 8; id++)
        {
            assertTrue(turns[id] >= 2, "peer " + id + " had " + turns[id] + " regular turns of 6 (fastest: 0 for 4-7)");
        }
    }

    @Test
    void aFastestSeedKeepsItsSlotsForTheFastestReceivers()
    {
        final Peers peers = new Peers(8);
        for (int i = 0; i < 8; i++)
        {
            peers.up[i] = i < 4 ? 1_000_000 : 10;
        }
        final Choker choker = Choker.withDefaults(Choker.SeedChoking.FASTEST, 5);
        for (int round = 0; round < 6; round++)
        {
            choker.rechoke(peers, true, round * 10 * S);
            for (int id = 0; id < 4; id++)
            {
                assertTrue(choker.unchoked(id));
            }
        }
    }

    @Test
    void aRoundRobinTurnIsNotCutShortByAForcedRechoke()
    {
        final Peers peers = new Peers(6);
        final Choker choker = Choker.withDefaults(Choker.SeedChoking.ROUND_ROBIN, 9);
        choker.rechoke(peers, true, 0);
        final Set<Integer> first = new HashSet<>();
        for (int id = 0; id < 6; id++)
        {
            if (choker.unchoked(id) && choker.optimisticPeer() != id)
            {
                first.add(id);
            }
        }
        choker.rechoke(peers, true, 3 * S); // forced: a peer came or left
        for (final int id : first)
        {
            assertTrue(choker.unchoked(id), "peer " + id + " keeps its slot for the interval");
        }
    }

    /** A regular slot in this rechoke's result: unchoked, and not as the optimistic peer. */
    private static boolean regular(final Choker choker, final int id)
    {
        return choker.unchoked(id) && choker.optimisticPeer() != id;
    }

    @Test
    void aPeerThatHeldASlotAndPaidNothingBackLosesItUntilItSendsSomething()
    {
        // 0-2 send us data; 3 has pieces we want and sends nothing (a free-rider); 4 has nothing we want yet
        final Peers peers = new Peers(5);
        peers.down[0] = 3000;
        peers.down[1] = 2000;
        peers.down[2] = 1000;
        peers.wanted[0] = peers.wanted[1] = peers.wanted[2] = peers.wanted[3] = true;
        boolean riderHadASlot = false;
        for (int seed = 0; seed < 40 && !riderHadASlot; seed++)
        {
            final Choker choker = new Choker(4, 10 * S, 1000 * S, seed);
            choker.rechoke(peers, false, 0);
            riderHadASlot = regular(choker, 3);
            if (!riderHadASlot)
            {
                continue;
            }
            assertFalse(choker.refusedToTrade(3), "not judged before it held the slot a whole interval");
            choker.rechoke(peers, false, 10 * S);
            assertTrue(choker.refusedToTrade(3));
            assertFalse(choker.refusedToTrade(4), "a peer with nothing we want could not have paid");
            for (long t = 10; t <= 60; t += 10)
            {
                choker.rechoke(peers, false, t * S);
                assertFalse(regular(choker, 3), "no regular slot at t=" + t);
                assertTrue(regular(choker, 4), "the slot went to the peer that could not pay yet, t=" + t);
            }
            peers.down[3] = 500; // it trades after all (say, after an optimistic unchoke)
            choker.rechoke(peers, false, 70 * S);
            assertFalse(choker.refusedToTrade(3));
            assertTrue(regular(choker, 3), "forgiven, and it now outranks a peer sending nothing");
        }
        assertTrue(riderHadASlot, "some seed gives the free-rider the tied fourth slot at first");
    }

    @Test
    void aPeerThatTookAMegabyteUnpaidIsJudgedBetweenRechokesAndLosesItsSlotAtOnce()
    {
        // 0-3 pay us; 4 has pieces we want and sends nothing; 5 has nothing we want yet; 3 took more than 4 but paid
        final Peers peers = new Peers(6);
        peers.down[0] = peers.down[1] = peers.down[2] = peers.down[3] = 1000;
        peers.wanted[0] = peers.wanted[1] = peers.wanted[2] = peers.wanted[3] = peers.wanted[4] = true;
        boolean tested = false;
        for (int seed = 0; seed < 40 && !tested; seed++)
        {
            final Choker choker = new Choker(4, 10 * S, 30 * S, seed);
            peers.total[3] = peers.total[4] = 0;
            peers.down[4] = 0;
            choker.rechoke(peers, false, 0);
            if (!choker.unchoked(4))
            {
                continue; // the optimistic draw went to 5
            }
            tested = true;
            peers.total[4] = TradeJudge.UNPAID_BYTES - 1;
            peers.total[3] = 50 * TradeJudge.UNPAID_BYTES;
            assertFalse(choker.judgeBetweenRechokes(peers), "one byte short of the limit");
            assertFalse(choker.refusedToTrade(4));

            peers.total[4] = TradeJudge.UNPAID_BYTES;
            assertTrue(choker.judgeBetweenRechokes(peers), "a megabyte unpaid, 2 s into a 10 s interval");
            assertTrue(choker.refusedToTrade(4));
            assertFalse(choker.refusedToTrade(3), "a peer that pays is never judged, however much it took");
            assertFalse(choker.judgeBetweenRechokes(peers), "judged once: no second forced rechoke for it");

            choker.rechoke(peers, false, 2 * S);
            assertFalse(choker.unchoked(4), "its optimistic slot goes to the peer that could not pay yet");
            assertTrue(choker.unchoked(5));

            peers.down[4] = 10; // it sends a block after all
            choker.rechoke(peers, false, 12 * S);
            assertFalse(choker.refusedToTrade(4));
            assertFalse(choker.judgeBetweenRechokes(peers), "forgiven, it owes nothing for what it took before");
        }
        assertTrue(tested, "some seed draws the free-rider for the optimistic slot");
    }

    @Test
    void aPeerWithNothingWeWantIsNotJudgedOnBytes()
    {
        final Peers peers = new Peers(2);
        final Choker choker = new Choker(4, 10 * S, 30 * S, 1);
        choker.rechoke(peers, false, 0);
        peers.total[0] = 100 * TradeJudge.UNPAID_BYTES; // it could not have paid: it has nothing we lack
        assertFalse(choker.judgeBetweenRechokes(peers));
        assertFalse(choker.refusedToTrade(0));
    }

    @Test
    void aRefuserGetsNoOptimisticSlotWhileWeLeechEvenWhenNobodyElseWantsOneUntilItPays()
    {
        // two regular slots: 0 pays; 1 (the free-rider), 2 and 3 (nothing we want yet) are interested
        final Peers peers = new Peers(4);
        peers.down[0] = 1000;
        peers.wanted[1] = true;
        boolean tested = false;
        for (int seed = 0; seed < 40 && !tested; seed++)
        {
            final Choker choker = new Choker(2, 10 * S, 30 * S, seed);
            choker.rechoke(peers, false, 0);
            if (!regular(choker, 1))
            {
                continue;
            }
            choker.rechoke(peers, false, 10 * S); // held a regular slot 10 s, sent nothing: refused
            assertTrue(choker.refusedToTrade(1));
            tested = true;
            for (long t = 30; t <= 300; t += 30)
            {
                choker.rechoke(peers, false, t * S);
                assertFalse(choker.unchoked(1), "t=" + t + ": the slots go to 0, 2 and 3");
            }
            peers.interested[2] = false; // nobody else wants anything
            peers.interested[3] = false;
            choker.rechoke(peers, false, 330 * S);
            assertFalse(choker.unchoked(1), "the slot stays empty rather than go to a refuser");
            assertEquals(-1, choker.optimisticPeer());
            choker.rechoke(peers, true, 340 * S);
            assertTrue(choker.unchoked(1), "a seed with nobody else to serve serves it");
            peers.down[1] = 500; // it pays: forgiven, and a leecher trades with it again
            choker.rechoke(peers, false, 350 * S);
            assertFalse(choker.refusedToTrade(1));
            assertTrue(choker.unchoked(1));
        }
        assertTrue(tested);
    }

    @Test
    void shortTurnsAddUpAFreeRiderCannotDodgeTheJudgementByFlappingItsInterest()
    {
        // 0-2 pay; 3 wants our pieces, has pieces we want, pays nothing, and keeps dropping its interest
        final Peers peers = new Peers(4);
        peers.down[0] = 3000;
        peers.down[1] = 2000;
        peers.down[2] = 1000;
        peers.wanted[3] = true;
        final Choker choker = new Choker(4, 10 * S, 1000 * S, 3);
        long unchokedFor = 0;
        for (long t = 0; t < 15; t += 5)
        {
            peers.interested[3] = true;
            choker.rechoke(peers, false, t * S); // forced: its interest came back
            assertTrue(regular(choker, 3), "t=" + t + ": the fourth slot is free");
            peers.interested[3] = false;
            choker.rechoke(peers, false, (t + 4) * S); // forced: it lost interest after 4 s
            unchokedFor += 4;
        }
        assertEquals(12, unchokedFor);
        assertTrue(choker.refusedToTrade(3), "12 s unchoked in three turns, nothing paid back");
        peers.interested[3] = true;
        choker.rechoke(peers, false, 15 * S);
        assertFalse(regular(choker, 3), "no regular slot, although one is free");
    }

    @Test
    void aLeecherTurnedSeedServesThoseThatRefusedToTradeLast()
    {
        final Peers peers = new Peers(5);
        peers.down[0] = 3000;
        peers.down[1] = 2000;
        peers.down[2] = 1000;
        peers.wanted[3] = true; // 3 never pays; 4 is not interested yet
        peers.interested[4] = false;
        final Choker choker = new Choker(4, 10 * S, 1000 * S, 5);
        choker.rechoke(peers, false, 0);
        choker.rechoke(peers, false, 10 * S);
        assertTrue(choker.refusedToTrade(3));
        // we complete: now a seed, and 3 takes our data fastest of all
        peers.up[3] = 9000;
        peers.interested[4] = true;
        peers.interested[0] = false;
        choker.rechoke(peers, true, 20 * S);
        assertTrue(regular(choker, 1) && regular(choker, 2) && regular(choker, 4), "the others first");
        assertTrue(regular(choker, 3), "then 3: a slot is left and nobody else wants it");
        final Peers more = new Peers(6);
        more.wanted[3] = true;
        final Choker full = new Choker(3, 10 * S, 1000 * S, 5);
        full.rechoke(more, false, 0);
        final boolean threeRegular = regular(full, 3);
        full.rechoke(more, false, 10 * S);
        if (threeRegular)
        {
            assertTrue(full.refusedToTrade(3));
            more.up[3] = 9000;
            full.rechoke(more, true, 20 * S);
            assertFalse(regular(full, 3), "five others want the three slots: the refuser waits, fastest or not");
        }
    }

    @Test
    void aRefuserInTheOptimisticSlotLosesItWhenJudgedNotAfterThirtySeconds()
    {
        // one regular slot held by 0 (it pays); 1 (wanted, never pays) and 2 (not wanted yet) take turns optimistic
        final Peers peers = new Peers(3);
        peers.down[0] = 1000;
        peers.wanted[1] = true;
        boolean tested = false;
        for (int seed = 0; seed < 40 && !tested; seed++)
        {
            final Choker choker = new Choker(1, 10 * S, 30 * S, seed);
            choker.rechoke(peers, false, 0);
            if (choker.optimisticPeer() != 1)
            {
                continue;
            }
            tested = true;
            choker.rechoke(peers, false, 10 * S);
            assertTrue(choker.refusedToTrade(1));
            assertEquals(2, choker.optimisticPeer(), "at 10 s, not at 30 s");
        }
        assertTrue(tested);
    }

    @Test
    void aRoundRobinSeedsOptimisticSlotIsOneMoreTurnSoAGreedyPeerWaitsItsTurn()
    {
        final Peers peers = new Peers(8);
        final Choker choker = Choker.withDefaults(Choker.SeedChoking.ROUND_ROBIN, 3);
        choker.rechoke(peers, true, 0);
        assertEquals(5, choker.unchokedCount(), "four slots and the optimistic one, all turns");
        assertEquals(-1, choker.optimisticPeer());
        for (int id = 0; id < 8; id++)
        {
            peers.total[id] = choker.unchoked(id) ? 2_000_000 : 0;
        }
        final int greedy = choker.unchoked(7) ? 7 : firstUnchoked(choker, 8);
        peers.total[greedy] = 45_000_000; // its flow took most of the seed's uplink in its turn
        peers.up[greedy] = 2_300_000; // and would be the fastest: fastest seeding would keep it
        for (long t = 10; t <= 60; t += 10)
        {
            choker.rechoke(peers, true, t * S);
            assertFalse(choker.unchoked(greedy), "t=" + t + ": the others have been sent less");
            for (int id = 0; id < 8; id++)
            {
                peers.total[id] += choker.unchoked(id) ? 2_000_000 : 0;
            }
        }
    }

    private static int firstUnchoked(final Choker choker, final int n)
    {
        for (int id = 0; id < n; id++)
        {
            if (choker.unchoked(id))
            {
                return id;
            }
        }
        return -1;
    }

    @Test
    void roundRobinSeedingHandsTheNextTurnsToThoseSentTheFewestBytes()
    {
        final Peers peers = new Peers(4);
        final Choker choker = new Choker(2, 10 * S, 1000 * S, Choker.SeedChoking.ROUND_ROBIN, 9);
        choker.rechoke(peers, true, 0);
        // whoever had the first turns, the greedy one (3) took 40 MB in it, the others less
        peers.total[0] = 5_000_000;
        peers.total[1] = 9_000_000;
        peers.total[2] = 7_000_000;
        peers.total[3] = 40_000_000;
        choker.rechoke(peers, true, 10 * S);
        final Set<Integer> next = new HashSet<>();
        for (int id = 0; id < 4; id++)
        {
            if (regular(choker, id))
            {
                next.add(id);
            }
        }
        assertFalse(next.contains(3), "the one sent most waits: " + next);
        assertTrue(next.contains(0), "the one sent least goes first: " + next);
    }
}
