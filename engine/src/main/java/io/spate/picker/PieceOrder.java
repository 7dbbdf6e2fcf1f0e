package io.spate.picker;

/**
 * The pieces not yet started, kept in one array ordered by availability, as libtorrent's picker keeps its pieces
 * between priority boundaries. Region {@code r >= 1} holds the pieces seen on {@code r - 1} peers; region 0 at the
 * front holds the pieces taken out of the order (started or had). Every region is a contiguous run of the array,
 * so moving a piece to the neighbouring region is one swap with the region's edge element and one boundary shift:
 * O(1) per availability change. Within a region the order is random (seeded): each piece that enters a region is
 * swapped with a uniformly chosen member, which makes a run of insertions an inside-out Fisher-Yates shuffle.
 *
 * <p>Taking a piece out or putting it back cascades through the regions between its own and region 0: O(its
 * availability), small for the rare pieces that rarest-first takes. Allocates only when availability first
 * exceeds every previous maximum (the boundary array doubles).
 */
final class PieceOrder
{
    private final int n;
    private final int[] order;
    private final int[] pos;
    private final int[] availability;
    /** Pieces no peer has announced: zero means the peers hold a whole copy between them. */
    private int unseen;
    /** regionStart[r] is the first position of region r; region r ends where region r + 1 starts (or at n). */
    private int[] regionStart;
    private long rng;

    PieceOrder(final int pieceCount, final long seed)
    {
        this.n = pieceCount;
        this.order = new int[pieceCount];
        this.pos = new int[pieceCount];
        this.availability = new int[pieceCount];
        this.regionStart = new int[16];
        java.util.Arrays.fill(regionStart, pieceCount);
        regionStart[0] = 0;
        regionStart[1] = 0;
        this.rng = seed;
        this.unseen = pieceCount;
        for (int i = 0; i < pieceCount; i++)
        {
            final int j = nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        for (int i = 0; i < pieceCount; i++)
        {
            pos[order[i]] = i;
        }
    }

    int availability(final int piece)
    {
        return availability[piece];
    }

    /** How many pieces no peer has (availability 0). */
    int unseen()
    {
        return unseen;
    }

    /** Whether the piece is in the order (neither started nor had). */
    boolean contains(final int piece)
    {
        return pos[piece] >= regionStart[1];
    }

    /** First position of the ordered pieces; positions from here to {@link #size()} run rarest first. */
    int firstPosition()
    {
        return regionStart[1];
    }

    int size()
    {
        return n;
    }

    int pieceAt(final int position)
    {
        return order[position];
    }

    /** A uniformly random int in [0, bound), from the seeded generator this order shares with the picker. */
    int nextInt(final int bound)
    {
        long z = (rng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int)(((z >>> 33) * bound) >>> 31);
    }

    void increment(final int piece)
    {
        final int a = availability[piece] + 1;
        availability[piece] = a;
        if (a == 1)
        {
            unseen--;
        }
        ensureRegion(a + 1);
        if (contains(piece))
        {
            moveUp(piece, a);
            shuffleIn(piece, a + 1);
        }
    }

    void decrement(final int piece)
    {
        final int a = availability[piece];
        if (a == 0)
        {
            return;
        }
        availability[piece] = a - 1;
        if (a == 1)
        {
            unseen++;
        }
        if (contains(piece))
        {
            moveDown(piece, a + 1);
            shuffleIn(piece, a);
        }
    }

    /** Takes the piece out of the order (it was started or is had); no-op if already out. */
    void remove(final int piece)
    {
        if (!contains(piece))
        {
            return;
        }
        for (int r = availability[piece] + 1; r > 0; r--)
        {
            moveDown(piece, r);
        }
    }

    /** Puts the piece back into its availability region at a random place; no-op if already in. */
    void insert(final int piece)
    {
        if (contains(piece))
        {
            return;
        }
        final int target = availability[piece] + 1;
        for (int r = 0; r < target; r++)
        {
            moveUp(piece, r);
        }
        shuffleIn(piece, target);
    }

    private int regionEnd(final int r)
    {
        return r + 1 < regionStart.length ? regionStart[r + 1] : n;
    }

    /** Moves the piece from region r to the front of region r + 1. */
    private void moveUp(final int piece, final int r)
    {
        final int last = regionEnd(r) - 1;
        swap(pos[piece], last);
        regionStart[r + 1]--;
    }

    /** Moves the piece from region r to the back of region r - 1. */
    private void moveDown(final int piece, final int r)
    {
        final int first = regionStart[r];
        swap(pos[piece], first);
        regionStart[r]++;
    }

    private void shuffleIn(final int piece, final int r)
    {
        final int start = regionStart[r];
        final int len = regionEnd(r) - start;
        if (len > 1)
        {
            swap(pos[piece], start + nextInt(len));
        }
    }

    private void swap(final int i, final int j)
    {
        if (i != j)
        {
            final int a = order[i];
            final int b = order[j];
            order[i] = b;
            order[j] = a;
            pos[b] = i;
            pos[a] = j;
        }
    }

    private void ensureRegion(final int r)
    {
        if (r + 1 >= regionStart.length)
        {
            final int old = regionStart.length;
            int size = old;
            while (r + 1 >= size)
            {
                size <<= 1;
            }
            regionStart = java.util.Arrays.copyOf(regionStart, size);
            java.util.Arrays.fill(regionStart, old, size, n);
        }
    }

    /** Checks every invariant; for tests. Throws {@link IllegalStateException} naming the first broken one. */
    void verify()
    {
        for (int i = 0; i < n; i++)
        {
            if (pos[order[i]] != i)
            {
                throw new IllegalStateException("pos/order mismatch at " + i);
            }
        }
        for (int r = 1; r < regionStart.length; r++)
        {
            if (regionStart[r] < regionStart[r - 1])
            {
                throw new IllegalStateException("region " + r + " starts before region " + (r - 1));
            }
            for (int i = regionStart[r]; i < regionEnd(r); i++)
            {
                if (availability[order[i]] != r - 1)
                {
                    throw new IllegalStateException("piece " + order[i] + " of availability " +
                        availability[order[i]] + " in region " + r);
                }
            }
        }
    }
}
