package io.spate.choke;

import java.util.Arrays;

/**
 * While we leech: which peers refuse to trade. A peer we unchoke that has pieces we want and sends us nothing back is
 * judged a refuser (a free-rider) on either of two counts, whichever comes first:
 * <ul>
 * <li>time: unchoked by us for a whole rechoke interval in all, counted across turns and slots (forced rechokes cut
 * a free-rider's turns short, and each short turn alone would never be judged);</li>
 * <li>bytes: we sent it {@link #UNPAID_BYTES} since it last paid. At the lab's share of a 2 MB/s uplink (a fifth) the
 * time count alone let each honest leecher give a free-rider 7-13 MB (perf-results/swarm-lab/free-rider), so the
 * bytes are checked at every tick, not only at rechokes.</li>
 * </ul>
 * The moment a refuser sends us anything it is forgiven. Pure: time and byte counts come in from the caller.
 */
final class TradeJudge
{
    /**
     * Bytes we give a peer that has what we want before it must have sent something back: four 256 KiB pieces, about
     * 2.5 s of a fifth of a 2 MB/s uplink, time enough for an honest peer's forced rechoke to unchoke us back; an
     * honest peer judged early is forgiven by its first block.
     */
    static final long UNPAID_BYTES = 1L << 20;

    private boolean[] refused = new boolean[0];
    /** Time unchoked by us, wanted and paying nothing, since it last sent us anything. */
    private long[] unpaidNs = new long[0];
    /** Bytes we had sent it when it last paid us (or when it connected). */
    private long[] sentAtPayment = new long[0];

    /**
     * At a rechoke: who paid us since the last one, and who has now been unchoked and unpaid for {@code intervalNs}
     * or {@link #UNPAID_BYTES}.
     *
     * @param unchoked whether each peer id was unchoked by us since the last rechoke
     */
    void atRechoke(final ChokePeers peers, final boolean[] unchoked, final long sinceLastNs, final long intervalNs)
    {
        for (int i = 0, n = peers.count(); i < n; i++)
        {
            final int id = peers.id(i);
            if (paid(peers, i, id))
            {
                continue;
            }
            if (unchoked[id] && peers.wanted(i))
            {
                unpaidNs[id] += sinceLastNs;
                refused[id] |= unpaidNs[id] >= intervalNs || unpaidBytes(peers, i, id) >= UNPAID_BYTES;
            }
        }
    }

    /**
     * Between rechokes (every tick): judges on bytes alone.
     *
     * @return whether a peer we unchoke was judged just now, so a rechoke should take its slot back at once
     */
    boolean betweenRechokes(final ChokePeers peers, final boolean[] unchoked)
    {
        boolean judged = false;
        for (int i = 0, n = peers.count(); i < n; i++)
        {
            final int id = peers.id(i);
            if (paid(peers, i, id) || refused[id] || !unchoked[id] || !peers.wanted(i))
            {
                continue;
            }
            if (unpaidBytes(peers, i, id) >= UNPAID_BYTES)
            {
                refused[id] = true;
                judged = true;
            }
        }
        return judged;
    }

    boolean refused(final int id)
    {
        return id >= 0 && id < refused.length && refused[id];
    }

    /** A new peer in this slot, or the slot emptied: nothing judged, nothing owed. */
    void forget(final int id)
    {
        ensure(id);
        refused[id] = false;
        unpaidNs[id] = 0;
        sentAtPayment[id] = 0;
    }

    void ensure(final int id)
    {
        if (id >= refused.length)
        {
            final int size = Math.max(id + 1, Math.max(16, refused.length * 2));
            refused = Arrays.copyOf(refused, size);
            unpaidNs = Arrays.copyOf(unpaidNs, size);
            sentAtPayment = Arrays.copyOf(sentAtPayment, size);
        }
    }

    /** A peer sending us anything is forgiven, and owes nothing for what we sent it so far. */
    private boolean paid(final ChokePeers peers, final int i, final int id)
    {
        ensure(id);
        if (peers.downloadRate(i) <= 0)
        {
            return false;
        }
        refused[id] = false;
        unpaidNs[id] = 0;
        sentAtPayment[id] = peers.uploaded(i);
        return true;
    }

    private long unpaidBytes(final ChokePeers peers, final int i, final int id)
    {
        return peers.uploaded(i) - sentAtPayment[id];
    }
}
