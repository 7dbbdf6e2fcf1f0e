package io.spate.choke;

import java.util.Arrays;

/**
 * Tit-for-tat-ish choker for one torrent, owned by one agent thread. Pure: time comes in as nanoseconds, the
 * randomness from a seed, and nothing is allocated per rechoke once the per-peer arrays have grown.
 *
 * <p>Each rechoke (every {@code rechokeIntervalNs}, or forced when a peer joins or leaves):
 * <ul>
 * <li>the {@code regularSlots} interested peers with the best rate are unchoked: the rate they send us at while we
 * leech (tit for tat), the rate we send them at while we seed. Snubbed peers get no regular slot while we leech, nor
 * do peers that refused to trade: unchoked by us for a whole interval in all, or given a megabyte, they had pieces we
 * wanted and sent us nothing (a free-rider; with rates tied at zero it would otherwise keep its slot; see
 * {@link TradeJudge}). While we leech such a peer gets no optimistic slot either, even when nobody else wants one:
 * the slot is there to start trade with a peer that has nothing yet, and a refuser had something and kept it; it
 * needs no unchoke from us to pay (the moment it sends us anything it is forgiven). In the swarm lab the "only when
 * nobody else wants it" rule handed the free-rider the slot for up to 10 s at a time, at up to 1.3 MB/s of a 2 MB/s
 * uplink (perf-results/swarm-lab/free-rider/NOTES.md, 2026-12-07);
 * ties go to peers already unchoked (fewer flaps), then at random;</li>
 * <li>one more interested, otherwise choked peer holds the optimistic slot, which moves every
 * {@code optimisticIntervalNs} to another one drawn at random; peers connected less than
 * {@link #NEW_PEER_WINDOW_INTERVALS} optimistic intervals ago are {@link #NEW_PEER_WEIGHT} times as likely to be
 * drawn (they have nothing to trade yet), as in the BEP 3 era mainline client;</li>
 * <li>peers that are not interested are never unchoked.</li>
 * </ul>
 * While we seed, the regular slots go either to the peers we upload to fastest ({@link SeedChoking#FASTEST}) or in
 * turn ({@link SeedChoking#ROUND_ROBIN}, the default, as libtorrent's): a peer keeps its slot for one rechoke
 * interval, then the interested peers we have sent the fewest bytes take the slots (on a tie, those that waited,
 * longest first); the optimistic slot is then one more turn. A seed that was a leecher remembers who refused
 * to trade with it and serves them after everyone else.
 * After {@link #rechoke} the agent sends CHOKE/UNCHOKE to the peers whose {@link #unchoked(int)} changed.
 */
public final class Choker
{
    /** Default regular unchoke slots. */
    public static final int DEFAULT_REGULAR_SLOTS = 4;
    /** Default rechoke interval: 10 s. */
    public static final long DEFAULT_RECHOKE_INTERVAL_NS = 10_000_000_000L;
    /** Default optimistic rotation: 30 s. */
    public static final long DEFAULT_OPTIMISTIC_INTERVAL_NS = 30_000_000_000L;
    /** How much likelier a new peer is to get the optimistic slot. */
    public static final int NEW_PEER_WEIGHT = 3;
    /** A peer is new for this many optimistic intervals after it connected. */
    public static final int NEW_PEER_WINDOW_INTERVALS = 2;

    private static final long NEVER = Long.MIN_VALUE;

    /** How a seed gives out its regular slots. */
    public enum SeedChoking
    {
        FASTEST, ROUND_ROBIN
    }

    private final int regularSlots;
    private final SeedChoking seedChoking;
    private final long rechokeIntervalNs;
    private final long optimisticIntervalNs;
    private long rng;

    // per peer id
    private boolean[] unchoked = new boolean[0];
    private boolean[] regular = new boolean[0];
    private long[] connectedAtNs = new long[0];
    /** When the peer's regular slot, or its wait for one, began: round-robin seeding's order. */
    private long[] turnSinceNs = new long[0];
    private boolean[] wasRegular = new boolean[0];
    /** Who refused to trade with us while we leeched: see the class comment. */
    private final TradeJudge judge = new TradeJudge();
    private long nowNs;

    // scratch, per peer index
    private int[] candidates = new int[0];
    private long[] tieBreak = new long[0];

    private int[] unchokedIds;
    private int unchokedCount;
    private int[] previousIds;

    private int optimisticId = -1;
    private long optimisticSinceNs = NEVER;
    private long lastRechokeNs = NEVER;

    public Choker(
        final int regularSlots, final long rechokeIntervalNs, final long optimisticIntervalNs, final long seed)
    {
        this(regularSlots, rechokeIntervalNs, optimisticIntervalNs, SeedChoking.FASTEST, seed);
    }

    public Choker(final int regularSlots, final long rechokeIntervalNs, final long optimisticIntervalNs,
        final SeedChoking seedChoking, final long seed)
    {
        this.seedChoking = seedChoking;
        if (regularSlots < 0 || rechokeIntervalNs <= 0 || optimisticIntervalNs <= 0)
        {
            throw new IllegalArgumentException("slots " + regularSlots + ", rechoke interval " + rechokeIntervalNs +
                " ns, optimistic interval " + optimisticIntervalNs + " ns must be positive");
        }
        this.regularSlots = regularSlots;
        this.rechokeIntervalNs = rechokeIntervalNs;
        this.optimisticIntervalNs = optimisticIntervalNs;
        this.rng = seed;
        this.unchokedIds = new int[regularSlots + 1];
        this.previousIds = new int[regularSlots + 1];
    }

    /** 4 regular slots, rechoke every 10 s, optimistic unchoke rotated every 30 s. */
    public static Choker withDefaults(final long seed)
    {
        return withDefaults(SeedChoking.FASTEST, seed);
    }

    /** The defaults, with the given way of choking while we seed. */
    public static Choker withDefaults(final SeedChoking seedChoking, final long seed)
    {
        return new Choker(DEFAULT_REGULAR_SLOTS, DEFAULT_RECHOKE_INTERVAL_NS, DEFAULT_OPTIMISTIC_INTERVAL_NS,
            seedChoking, seed);
    }

    public int regularSlots()
    {
        return regularSlots;
    }

    /** Whether a periodic rechoke is due (none yet, or the rechoke interval has passed since the last). */
    public boolean rechokeDue(final long nowNs)
    {
        return lastRechokeNs == NEVER || nowNs - lastRechokeNs >= rechokeIntervalNs;
    }

    /** A peer connected in this slot (forgets whatever the slot held before). Call, then force a rechoke. */
    public void peerConnected(final int peerId, final long nowNs)
    {
        ensureId(peerId);
        forget(peerId);
        connectedAtNs[peerId] = nowNs;
        turnSinceNs[peerId] = nowNs;
    }

    /** The peer in this slot left. Call, then force a rechoke so its slot goes to another peer. */
    public void peerDisconnected(final int peerId)
    {
        if (peerId < connectedAtNs.length)
        {
            forget(peerId);
        }
    }

    /**
     * Recomputes who is unchoked. Returns true if the set changed; {@link #unchoked(int)} then tells who is.
     * Peers missing from {@code peers} are choked (as if disconnected).
     */
    public boolean rechoke(final ChokePeers peers, final boolean weAreSeed, final long nowNs)
    {
        final long sinceLastNs = lastRechokeNs == NEVER ? 0 : nowNs - lastRechokeNs;
        lastRechokeNs = nowNs;
        this.nowNs = nowNs;
        final int n = peers.count();
        prepare(peers, n, nowNs);

        final int previousCount = unchokedCount;
        System.arraycopy(unchokedIds, 0, previousIds, 0, previousCount);
        unchokedCount = 0;
        if (!weAreSeed)
        {
            judge.atRechoke(peers, unchoked, sinceLastNs, rechokeIntervalNs);
        }
        if (weAreSeed && seedChoking == SeedChoking.ROUND_ROBIN)
        {
            // every slot is a turn: a separate optimistic slot, drawn at random and held 30 s, let the lab's
            // free-rider take ~43 MB of the 155 MB a round-robin seed sent, in one 20 s hold (its flow, ACKed over an
            // idle uplink, took 2.3 of the seed's 4 MB/s; perf-results/swarm-lab/free-rider/NOTES.md, 2026-12-07),
            // and a new peer, sent nothing yet, is first in line for the next turn anyway
            chooseRegular(peers, n, true, regularSlots + 1);
            optimisticId = -1;
            optimisticSinceNs = NEVER;
        }
        else
        {
            chooseRegular(peers, n, weAreSeed, regularSlots);
            chooseOptimistic(peers, n, weAreSeed, nowNs);
        }

        boolean changed = unchokedCount != previousCount;
        for (int k = 0; k < previousCount; k++)
        {
            unchoked[previousIds[k]] = false;
        }
        for (int k = 0; k < unchokedCount; k++)
        {
            changed |= !contains(previousIds, previousCount, unchokedIds[k]);
            unchoked[unchokedIds[k]] = true;
        }
        for (int i = 0; i < n; i++)
        {
            final int id = peers.id(i);
            if (regular[id] != wasRegular[id])
            {
                turnSinceNs[id] = nowNs; // a regular slot's turn, or the wait for one, begins
                wasRegular[id] = regular[id];
            }
        }
        return changed;
    }

    /** Whether the peer in this slot is unchoked after the last rechoke. */
    public boolean unchoked(final int peerId)
    {
        return peerId >= 0 && peerId < unchoked.length && unchoked[peerId];
    }

    /** The peer holding the optimistic slot, or -1. */
    public int optimisticPeer()
    {
        return optimisticId;
    }

    /** How many peers are unchoked (regular plus optimistic). */
    public int unchokedCount()
    {
        return unchokedCount;
    }

    private void prepare(final ChokePeers peers, final int n, final long nowNs)
    {
        if (candidates.length < n)
        {
            candidates = new int[Math.max(n, candidates.length * 2)];
            tieBreak = new long[candidates.length];
        }
        for (int i = 0; i < n; i++)
        {
            final int id = peers.id(i);
            ensureId(id);
            if (connectedAtNs[id] == NEVER)
            {
                connectedAtNs[id] = nowNs; // first seen: treat as just connected
                turnSinceNs[id] = nowNs;
            }
            regular[id] = false;
        }
    }

    /** Whether the peer in this slot lost its regular slot for not trading (see the class comment). */
    public boolean refusedToTrade(final int peerId)
    {
        return judge.refused(peerId);
    }

    /**
     * Between rechokes, while we leech: judges the peers we unchoke on the bytes they took unpaid
     * ({@link TradeJudge#UNPAID_BYTES}).
     *
     * @return whether one was judged just now and holds a slot: force a rechoke to take it back
     */
    public boolean judgeBetweenRechokes(final ChokePeers peers)
    {
        for (int i = 0, n = peers.count(); i < n; i++)
        {
            ensureId(peers.id(i));
        }
        return judge.betweenRechokes(peers, unchoked);
    }

    private void chooseRegular(final ChokePeers peers, final int n, final boolean weAreSeed, final int slotCount)
    {
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (peers.interested(i) && (weAreSeed || !peers.snubbed(i) && !judge.refused(peers.id(i))))
            {
                candidates[count] = i;
                tieBreak[count] = nextLong();
                count++;
            }
        }
        final int slots = Math.min(slotCount, count);
        for (int s = 0; s < slots; s++)
        {
            // selection of the best remaining: n is tens of peers and slots a handful
            int best = s;
            for (int k = s + 1; k < count; k++)
            {
                if (better(peers, weAreSeed, candidates[k], tieBreak[k], candidates[best], tieBreak[best]))
                {
                    best = k;
                }
            }
            final int i = candidates[best];
            candidates[best] = candidates[s];
            candidates[s] = i;
            final long t = tieBreak[best];
            tieBreak[best] = tieBreak[s];
            tieBreak[s] = t;
            final int id = peers.id(i);
            regular[id] = true;
            unchokedIds[unchokedCount++] = id;
        }
    }

    private boolean better(final ChokePeers peers, final boolean weAreSeed, final int a, final long tieA, final int b,
        final long tieB)
    {
        if (weAreSeed && judge.refused(peers.id(a)) != judge.refused(peers.id(b)))
        {
            return !judge.refused(peers.id(a)); // a seed that was a leecher serves those that traded with it first
        }
        if (weAreSeed && seedChoking == SeedChoking.ROUND_ROBIN)
        {
            final int turnA = turnClass(peers.id(a));
            final int turnB = turnClass(peers.id(b));
            if ((turnA == 0) != (turnB == 0))
            {
                return turnA == 0; // a turn, once given, lasts its interval
            }
            // the next turns go to those we have sent least, whether they waited or just had a turn: by bytes, not
            // by time, since a peer whose own uplink is idle (a free-rider's) takes more of a turn than one whose
            // ACKs queue behind its uploads (the lab's free-rider got 30-44 MB of a time-fair seed's ~150:
            // perf-results/swarm-lab/free-rider)
            final long sentA = peers.uploaded(a);
            final long sentB = peers.uploaded(b);
            if (sentA != sentB)
            {
                return sentA < sentB;
            }
            if (turnA != turnB)
            {
                return turnA < turnB;
            }
            final long sinceA = turnSinceNs[peers.id(a)];
            final long sinceB = turnSinceNs[peers.id(b)];
            if (sinceA != sinceB)
            {
                return sinceA < sinceB;
            }
            return tieA < tieB;
        }
        final long rateA = weAreSeed ? peers.uploadRate(a) : peers.downloadRate(a);
        final long rateB = weAreSeed ? peers.uploadRate(b) : peers.downloadRate(b);
        if (rateA != rateB)
        {
            return rateA > rateB;
        }
        final boolean wasA = unchoked[peers.id(a)];
        final boolean wasB = unchoked[peers.id(b)];
        if (wasA != wasB)
        {
            return wasA;
        }
        return tieA < tieB;
    }

    /** 0: in a regular slot, its turn not over; 1: waiting for one; 2: in a regular slot for a whole interval. */
    private int turnClass(final int id)
    {
        if (!wasRegular[id])
        {
            return 1;
        }
        return nowNs - turnSinceNs[id] < rechokeIntervalNs ? 0 : 2;
    }

    private void chooseOptimistic(final ChokePeers peers, final int n, final boolean weAreSeed, final long nowNs)
    {
        int currentIndex = -1;
        for (int i = 0; i < n && optimisticId >= 0; i++)
        {
            if (peers.id(i) == optimisticId)
            {
                currentIndex = i;
                break;
            }
        }
        // a refuser does not keep the slot its 30 s: judged after 10 s of unpaid time, it goes back in the draw
        final boolean currentValid = currentIndex >= 0 && peers.interested(currentIndex) && !regular[optimisticId] &&
            !judge.refused(optimisticId);
        final boolean timeUp = optimisticSinceNs == NEVER || nowNs - optimisticSinceNs >= optimisticIntervalNs;
        if (currentValid && !timeUp)
        {
            unchokedIds[unchokedCount++] = optimisticId;
            return;
        }

        // draw among interested peers without a regular slot, other than the current one if there is a choice;
        // peers that refused to trade are drawn only by a seed, and only when nobody else is there to try
        final long newSince = nowNs - NEW_PEER_WINDOW_INTERVALS * optimisticIntervalNs;
        boolean refusersToo = false;
        boolean excludeCurrent = hasOther(peers, n, false);
        long totalWeight = totalOptimisticWeight(peers, n, excludeCurrent, newSince, false);
        if (totalWeight == 0 && weAreSeed)
        {
            refusersToo = true;
            excludeCurrent = hasOther(peers, n, true);
            totalWeight = totalOptimisticWeight(peers, n, excludeCurrent, newSince, true);
        }
        if (totalWeight == 0)
        {
            optimisticId = -1;
            optimisticSinceNs = NEVER;
            return;
        }
        long draw = Math.floorMod(nextLong(), totalWeight);
        int chosen = -1;
        for (int i = 0; i < n && chosen < 0; i++)
        {
            final int id = peers.id(i);
            if (optimisticEligible(peers, i, id, excludeCurrent))
            {
                draw -= optimisticWeight(id, newSince, refusersToo);
                if (draw < 0)
                {
                    chosen = id;
                }
            }
        }
        optimisticId = chosen;
        optimisticSinceNs = nowNs;
        unchokedIds[unchokedCount++] = chosen;
    }

    private long totalOptimisticWeight(final ChokePeers peers, final int n, final boolean excludeCurrent,
        final long newSince, final boolean refusersToo)
    {
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            final int id = peers.id(i);
            if (optimisticEligible(peers, i, id, excludeCurrent))
            {
                total += optimisticWeight(id, newSince, refusersToo);
            }
        }
        return total;
    }

    /** New peers are {@link #NEW_PEER_WEIGHT} times as likely; refusers weigh nothing unless they are all there is. */
    private long optimisticWeight(final int id, final long newSince, final boolean refusersToo)
    {
        if (judge.refused(id) && !refusersToo)
        {
            return 0;
        }
        return connectedAtNs[id] > newSince ? NEW_PEER_WEIGHT : 1;
    }

    private boolean optimisticEligible(final ChokePeers peers, final int i, final int id, final boolean excludeCurrent)
    {
        return peers.interested(i) && !regular[id] && !(excludeCurrent && id == optimisticId);
    }

    /**
     * Whether some interested peer without a regular slot is not the current optimistic one (a peer that refused to
     * trade counts only with {@code refusersToo}).
     */
    private boolean hasOther(final ChokePeers peers, final int n, final boolean refusersToo)
    {
        for (int i = 0; i < n; i++)
        {
            final int id = peers.id(i);
            if (peers.interested(i) && !regular[id] && id != optimisticId && (refusersToo || !judge.refused(id)))
            {
                return true;
            }
        }
        return false;
    }

    private void forget(final int peerId)
    {
        connectedAtNs[peerId] = NEVER;
        regular[peerId] = false;
        judge.forget(peerId);
        wasRegular[peerId] = false;
        if (unchoked[peerId])
        {
            unchoked[peerId] = false;
            for (int k = 0; k < unchokedCount; k++)
            {
                if (unchokedIds[k] == peerId)
                {
                    unchokedIds[k] = unchokedIds[--unchokedCount];
                    break;
                }
            }
        }
        if (optimisticId == peerId)
        {
            optimisticId = -1;
            optimisticSinceNs = NEVER;
        }
    }

    private void ensureId(final int id)
    {
        if (id < 0)
        {
            throw new IllegalArgumentException("peer id must not be negative: " + id);
        }
        if (id >= unchoked.length)
        {
            final int size = Math.max(id + 1, Math.max(16, unchoked.length * 2));
            final int old = unchoked.length;
            unchoked = Arrays.copyOf(unchoked, size);
            regular = Arrays.copyOf(regular, size);
            connectedAtNs = Arrays.copyOf(connectedAtNs, size);
            Arrays.fill(connectedAtNs, old, size, NEVER);
            turnSinceNs = Arrays.copyOf(turnSinceNs, size);
            wasRegular = Arrays.copyOf(wasRegular, size);
            judge.ensure(size - 1);
        }
    }

    private static boolean contains(final int[] ids, final int count, final int id)
    {
        for (int k = 0; k < count; k++)
        {
            if (ids[k] == id)
            {
                return true;
            }
        }
        return false;
    }

    private long nextLong()
    {
        long z = (rng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
