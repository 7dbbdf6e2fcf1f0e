package io.spate.peer;

/**
 * Blocks we have requested from one peer and not yet received, in request order (peers answer in order, so the
 * match is almost always the first entry). Fixed capacity, parallel int arrays, no allocation.
 */
public final class InFlightRequests
{
    private final int[] pieces;
    private final int[] blocks;
    private final long[] sentAtNs;
    private int count;

    public InFlightRequests(final int capacity)
    {
        this.pieces = new int[capacity];
        this.blocks = new int[capacity];
        this.sentAtNs = new long[capacity];
    }

    public int size()
    {
        return count;
    }

    public int capacity()
    {
        return pieces.length;
    }

    public int piece(final int i)
    {
        return pieces[i];
    }

    public int block(final int i)
    {
        return blocks[i];
    }

    /** @return when the oldest outstanding request was sent, or Long.MAX_VALUE when none. */
    public long oldestSentAtNs()
    {
        return count == 0 ? Long.MAX_VALUE : sentAtNs[0];
    }

    public boolean add(final int piece, final int block, final long nowNs)
    {
        if (count == pieces.length)
        {
            return false;
        }
        pieces[count] = piece;
        blocks[count] = block;
        sentAtNs[count] = nowNs;
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
        final int tail = count - i - 1;
        System.arraycopy(pieces, i + 1, pieces, i, tail);
        System.arraycopy(blocks, i + 1, blocks, i, tail);
        System.arraycopy(sentAtNs, i + 1, sentAtNs, i, tail);
        count--;
        return true;
    }

    public void clear()
    {
        count = 0;
    }

    private int indexOf(final int piece, final int block)
    {
        for (int i = 0; i < count; i++)
        {
            if (pieces[i] == piece && blocks[i] == block)
            {
                return i;
            }
        }
        return -1;
    }
}
