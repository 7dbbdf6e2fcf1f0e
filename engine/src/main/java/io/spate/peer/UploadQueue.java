package io.spate.peer;

/**
 * Blocks a peer has asked us for, in arrival order: a fixed ring of (piece, begin, length). A peer that asks for
 * more than the capacity at once is over the limit it was told (BEP 10 {@code reqq}) and is refused further requests.
 */
public final class UploadQueue
{
    private final int[] pieces;
    private final int[] begins;
    private final int[] lengths;
    private int head;
    private int size;

    public UploadQueue(final int capacity)
    {
        pieces = new int[capacity];
        begins = new int[capacity];
        lengths = new int[capacity];
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    public int size()
    {
        return size;
    }

    public boolean offer(final int piece, final int begin, final int length)
    {
        if (size == pieces.length)
        {
            return false;
        }
        final int at = (head + size) % pieces.length;
        pieces[at] = piece;
        begins[at] = begin;
        lengths[at] = length;
        size++;
        return true;
    }

    public int headPiece()
    {
        return pieces[head];
    }

    public int headBegin()
    {
        return begins[head];
    }

    public int headLength()
    {
        return lengths[head];
    }

    public void poll()
    {
        head = (head + 1) % pieces.length;
        size--;
    }

    /** Removes a queued request (CANCEL); returns true if it was queued. */
    public boolean remove(final int piece, final int begin, final int length)
    {
        for (int i = 0; i < size; i++)
        {
            final int at = (head + i) % pieces.length;
            if (pieces[at] == piece && begins[at] == begin && lengths[at] == length)
            {
                for (int j = i; j < size - 1; j++)
                {
                    final int from = (head + j + 1) % pieces.length;
                    final int to = (head + j) % pieces.length;
                    pieces[to] = pieces[from];
                    begins[to] = begins[from];
                    lengths[to] = lengths[from];
                }
                size--;
                return true;
            }
        }
        return false;
    }

    public void clear()
    {
        head = 0;
        size = 0;
    }
}
