package io.spate.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Random peer sets over time: the slot rules hold after every rechoke. */
class ChokerPropertyTest
{
    private static final long S = 1_000_000_000L;

    private static final class View implements ChokePeers
    {
        final int[] ids;
        final boolean[] interested;
        final long[] down;
        final long[] up;
        final boolean[] snubbed;
        final boolean[] wanted;
        final long[] total;
        int count;

        View(final int capacity)
        {
            ids = new int[capacity];
            interested = new boolean[capacity];
            down = new long[capacity];
            up = new long[capacity];
            snubbed = new boolean[capacity];
            wanted = new boolean[capacity];
            total = new long[capacity];
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

    @Property(tries = 300)
    void slotRulesHold(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 6) final int slots,
        @ForAll @IntRange(min = 0, max = 30) final int peerCount,
        @ForAll final boolean weAreSeed)
    {
        final Random random = new Random(seed);
        final View view = new View(peerCount);
        final Choker choker = new Choker(slots, 10 * S, 30 * S, seed);
        view.count = peerCount;
        for (int i = 0; i < peerCount; i++)
        {
            view.ids[i] = i * 3 + random.nextInt(3); // sparse, distinct ids
        }
        for (long t = 0; t < 600 * S; t += 10 * S)
        {
            for (int i = 0; i < peerCount; i++)
            {
                if (random.nextInt(4) == 0)
                {
                    view.interested[i] = random.nextBoolean();
                    view.down[i] = random.nextInt(5) * 1000L;
                    view.up[i] = random.nextInt(5) * 1000L;
                    view.snubbed[i] = random.nextInt(5) == 0;
                }
            }
            choker.rechoke(view, weAreSeed, t);

            int unchoked = 0;
            int regular = 0;
            int eligibleRegular = 0;
            int interested = 0;
            for (int i = 0; i < peerCount; i++)
            {
                final boolean isUnchoked = choker.unchoked(view.ids[i]);
                if (!view.interested[i])
                {
                    assertFalse(isUnchoked, "uninterested peer unchoked");
                    continue;
                }
                interested++;
                final boolean eligible = weAreSeed || !view.snubbed[i];
                eligibleRegular += eligible ? 1 : 0;
                unchoked += isUnchoked ? 1 : 0;
                regular += isUnchoked && view.ids[i] != choker.optimisticPeer() ? 1 : 0;
            }
            assertEquals(choker.unchokedCount(), unchoked);
            assertEquals(Math.min(slots, eligibleRegular), regular, "regular slots all used when possible");
            final boolean optimisticPossible = interested > regular;
            assertEquals(optimisticPossible ? regular + 1 : regular, unchoked, "one optimistic when possible");

            // no choked eligible peer has a better rate than an unchoked regular one
            long worstRegular = Long.MAX_VALUE;
            long bestChoked = Long.MIN_VALUE;
            for (int i = 0; i < peerCount; i++)
            {
                if (!view.interested[i] || !(weAreSeed || !view.snubbed[i]))
                {
                    continue;
                }
                final long rate = weAreSeed ? view.up[i] : view.down[i];
                final int id = view.ids[i];
                if (choker.unchoked(id) && id != choker.optimisticPeer())
                {
                    worstRegular = Math.min(worstRegular, rate);
                }
                else if (!choker.unchoked(id))
                {
                    bestChoked = Math.max(bestChoked, rate);
                }
            }
            assertTrue(bestChoked <= worstRegular, "a faster peer stayed choked");
        }
    }

    /** Peers 0..n-1, their ids their indexes. */
    private static View denseView(final int n)
    {
        final View view = new View(n);
        view.count = n;
        for (int i = 0; i < n; i++)
        {
            view.ids[i] = i;
        }
        return view;
    }

    @Property(tries = 200)
    void aRoundRobinSeedFillsEverySlotWithTurnsAndHasNoOptimisticOne(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 6) final int slots,
        @ForAll @IntRange(min = 0, max = 30) final int peerCount)
    {
        final Random random = new Random(seed);
        final View view = denseView(peerCount);
        final Choker choker = new Choker(slots, 10 * S, 30 * S, Choker.SeedChoking.ROUND_ROBIN, seed);
        for (long t = 0; t < 600 * S; t += 5 * S)
        {
            int interested = 0;
            for (int i = 0; i < peerCount; i++)
            {
                view.interested[i] = random.nextInt(5) != 0;
                view.up[i] = random.nextInt(5) * 1000L;
                interested += view.interested[i] ? 1 : 0;
            }
            choker.rechoke(view, true, t);
            assertEquals(-1, choker.optimisticPeer());
            assertEquals(Math.min(slots + 1, interested), choker.unchokedCount(), "every slot a turn when possible");
            for (int i = 0; i < peerCount; i++)
            {
                if (choker.unchoked(i))
                {
                    assertTrue(view.interested[i], "uninterested peer unchoked");
                    view.total[i] += 1_000_000; // what its turn took
                }
            }
        }
    }

    @Property(tries = 200)
    void whileWeLeechAPeerJudgedARefuserIsNeverUnchoked(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 6) final int slots,
        @ForAll @IntRange(min = 1, max = 20) final int peerCount)
    {
        final Random random = new Random(seed);
        final View view = denseView(peerCount);
        final Choker choker = new Choker(slots, 10 * S, 30 * S, seed);
        final boolean[] freeRider = new boolean[peerCount];
        for (int i = 0; i < peerCount; i++)
        {
            freeRider[i] = random.nextInt(3) == 0;
        }
        for (long t = 0; t < 300 * S; t += S)
        {
            for (int i = 0; i < peerCount; i++)
            {
                view.interested[i] = random.nextInt(4) != 0;
                view.wanted[i] = random.nextInt(4) != 0;
                view.down[i] = freeRider[i] ? 0 : random.nextInt(5) * 1000L;
                view.total[i] += choker.unchoked(i) ? 200_000 : 0;
            }
            if (t % (10 * S) == 0 || choker.judgeBetweenRechokes(view))
            {
                choker.rechoke(view, false, t);
            }
            for (int i = 0; i < peerCount; i++)
            {
                if (choker.refusedToTrade(i))
                {
                    assertTrue(freeRider[i] || view.down[i] == 0, "judged while paying");
                    assertFalse(choker.unchoked(i), "t=" + t / S + ": refuser " + i + " unchoked");
                }
            }
        }
    }
}
