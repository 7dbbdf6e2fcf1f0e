package io.spate.peer;

/**
 * Blocks we have requested from one peer and not yet received, in request order. Peers answer in order, so the
 * block that arrives is almost always the oldest: a ring whose head removal is O(1); removal elsewhere (a reject,
 * an endgame cancel) shifts the younger entries. Fixed capacity, parallel int arrays, no allocation.
 */
public final class InFlightRequests
{
    private final int[] pieces;
    private final int[] blocks;
    private final long[] sentAtNs;
    private final int mask;
    private int head;
    private int count;

    /** @param capacity rounded up to a power of two. */
    public InFlightRequests(final int capacity)
    {
        final int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.pieces = new int[size];
        this.blocks = new int[size];
        this.sentAtNs = new long[size];
        this.mask = size - 1;
    }

    public int size()
    {
        return count;
    }

    public int capacity()
    {
        return pieces.length;
    }

    /** @return the piece of the i-th oldest request. */
    public int piece(final int i)
    {
        return pieces[(head + i) & mask];
    }

    public int block(final int i)
    {
        return blocks[(head + i) & mask];
    }

    /** @return when the oldest outstanding request was sent, or Long.MAX_VALUE when none. */
    public long oldestSentAtNs()
    {
        return count == 0 ? Long.MAX_VALUE : sentAtNs[head];
    }

    public boolean add(final int piece, final int block, final long nowNs)
    {
        if (count == pieces.length)
        {
            return false;
        }
        final int at = (head + count) & mask;
        pieces[at] = piece;
        blocks[at] = block;
        sentAtNs[at] = nowNs;
        count++;
        return true;
    }

    public boolean contains(final int piece, final int block)
    {
        return indexOf(piece, block) >= 0;
    }

    /** Removes the request if present; returns true if it was there. */
    public boolean remove(final int piece, final int block)
    {
        final int i = indexOf(piece, block);
        if (i < 0)
        {
            return false;
        }
        if (i == 0)
        {
            head = (head + 1) & mask;
            count--;
            return true;
        }
        for (int k = i; k < count - 1; k++)
        {
            final int to = (head + k) & mask;
            final int from = (head + k + 1) & mask;
            pieces[to] = pieces[from];
            blocks[to] = blocks[from];
            sentAtNs[to] = sentAtNs[from];
        }
        count--;
        return true;
    }

    public void clear()
    {
        head = 0;
        count = 0;
    }

    private int indexOf(final int piece, final int block)
    {
        for (int i = 0; i < count; i++)
        {
            final int at = (head + i) & mask;
            if (pieces[at] == piece && blocks[at] == block)
            {
                return i;
            }
        }
        return -1;
    }
}
