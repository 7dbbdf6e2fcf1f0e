package io.spate.picker;

/**
 * Block states of the started pieces: a pool of slots, one per piece in progress, each holding one byte per block:
 * {@link #MISSING}, the number of peers it is requested from (1..{@link #MAX_REQUESTERS}), or {@link #RECEIVED}.
 * Slots are reused through a free list and the pool doubles when exhausted, so steady state allocates nothing.
 *
 * <p>The slots that still have MISSING blocks form the open list, a doubly linked list through the slot numbers:
 * new pieces join at the tail, and a piece whose block came back (request abandoned) rejoins at the head, so the
 * oldest pieces are finished first. Every state change keeps it in O(1); picking walks only the open pieces.
 */
final class StartedPieces
{
    static final byte MISSING = 0;
    static final byte MAX_REQUESTERS = 126;
    static final byte RECEIVED = 127;

    private static final int NONE = -1;

    private final int blocksPerPiece;
    private final int[] slotOfPiece;
    private byte[] states;
    private int[] pieceOfSlot;
    private int[] blockCount;
    private int[] received;
    /** Blocks not MISSING (requested or received); zero means the piece can go back to the fresh order. */
    private int[] busy;
    /** No MISSING block below this index: where the next scan for missing blocks starts. */
    private int[] missingFrom;
    private int[] freeSlots;
    private int freeCount;
    private int slotCapacity;
    private int startedCount;

    private int[] openPrev;
    private int[] openNext;
    private boolean[] open;
    private int openHead = NONE;
    private int openTail = NONE;

    StartedPieces(final int pieceCount, final int blocksPerPiece, final int initialSlots)
    {
        this.blocksPerPiece = blocksPerPiece;
        this.slotOfPiece = new int[pieceCount];
        java.util.Arrays.fill(slotOfPiece, NONE);
        this.states = new byte[0];
        this.pieceOfSlot = new int[0];
        this.blockCount = new int[0];
        this.received = new int[0];
        this.busy = new int[0];
        this.missingFrom = new int[0];
        this.freeSlots = new int[0];
        this.openPrev = new int[0];
        this.openNext = new int[0];
        this.open = new boolean[0];
        grow(Math.max(1, Math.min(pieceCount, initialSlots)));
    }

    int slot(final int piece)
    {
        return slotOfPiece[piece];
    }

    /** Number of started pieces. */
    int size()
    {
        return startedCount;
    }

    /** Slots run over [0, capacity); unused ones have {@link #pieceOfSlot} -1. */
    int capacity()
    {
        return slotCapacity;
    }

    int pieceOfSlot(final int slot)
    {
        return pieceOfSlot[slot];
    }

    /** First slot with a MISSING block, oldest first; -1 if none. */
    int firstOpen()
    {
        return openHead;
    }

    /** Next open slot after {@code slot}; -1 at the end. */
    int nextOpen(final int slot)
    {
        return openNext[slot];
    }

    int blockCount(final int slot)
    {
        return blockCount[slot];
    }

    int received(final int slot)
    {
        return received[slot];
    }

    int busy(final int slot)
    {
        return busy[slot];
    }

    int missing(final int slot)
    {
        return blockCount[slot] - busy[slot];
    }

    /** Every block below this index is requested or received. */
    int missingFrom(final int slot)
    {
        return missingFrom[slot];
    }

    /** Records that every block below {@code block} is requested or received. */
    void missingFrom(final int slot, final int block)
    {
        missingFrom[slot] = block;
    }

    byte state(final int slot, final int block)
    {
        return states[slot * blocksPerPiece + block];
    }

    /** Starts the piece: a slot with every block MISSING, at the tail of the open list. */
    int start(final int piece, final int blocks)
    {
        if (freeCount == 0)
        {
            grow(slotCapacity << 1);
        }
        final int slot = freeSlots[--freeCount];
        slotOfPiece[piece] = slot;
        pieceOfSlot[slot] = piece;
        blockCount[slot] = blocks;
        received[slot] = 0;
        busy[slot] = 0;
        missingFrom[slot] = 0;
        java.util.Arrays.fill(states, slot * blocksPerPiece, slot * blocksPerPiece + blocks, MISSING);
        startedCount++;
        linkTail(slot);
        return slot;
    }

    /** Frees the piece's slot. */
    void finish(final int piece)
    {
        final int slot = slotOfPiece[piece];
        if (slot < 0)
        {
            return;
        }
        unlink(slot);
        slotOfPiece[piece] = NONE;
        pieceOfSlot[slot] = NONE;
        freeSlots[freeCount++] = slot;
        startedCount--;
    }

    /** MISSING to requested by one peer, or one more requester; returns true if the block was MISSING. */
    boolean request(final int slot, final int block)
    {
        final int i = slot * blocksPerPiece + block;
        final byte s = states[i];
        if (s == MISSING)
        {
            states[i] = 1;
            if (++busy[slot] == blockCount[slot])
            {
                unlink(slot);
            }
            return true;
        }
        if (s < MAX_REQUESTERS)
        {
            states[i] = (byte)(s + 1);
        }
        return false;
    }

    /** One requester fewer; returns true if the block went back to MISSING. Ignores MISSING and RECEIVED. */
    boolean abandon(final int slot, final int block)
    {
        final int i = slot * blocksPerPiece + block;
        final byte s = states[i];
        if (s == MISSING || s == RECEIVED)
        {
            return false;
        }
        states[i] = (byte)(s - 1);
        if (s == 1)
        {
            busy[slot]--;
            missingFrom[slot] = Math.min(missingFrom[slot], block);
            linkHead(slot);
            return true;
        }
        return false;
    }

    /** Marks the block received; returns its previous state. */
    byte receive(final int slot, final int block)
    {
        final int i = slot * blocksPerPiece + block;
        final byte s = states[i];
        if (s != RECEIVED)
        {
            states[i] = RECEIVED;
            received[slot]++;
            if (s == MISSING && ++busy[slot] == blockCount[slot])
            {
                unlink(slot);
            }
        }
        return s;
    }

    private void linkTail(final int slot)
    {
        if (open[slot])
        {
            return;
        }
        open[slot] = true;
        openPrev[slot] = openTail;
        openNext[slot] = NONE;
        if (openTail == NONE)
        {
            openHead = slot;
        }
        else
        {
            openNext[openTail] = slot;
        }
        openTail = slot;
    }

    private void linkHead(final int slot)
    {
        if (open[slot])
        {
            return;
        }
        open[slot] = true;
        openNext[slot] = openHead;
        openPrev[slot] = NONE;
        if (openHead == NONE)
        {
            openTail = slot;
        }
        else
        {
            openPrev[openHead] = slot;
        }
        openHead = slot;
    }

    private void unlink(final int slot)
    {
        if (!open[slot])
        {
            return;
        }
        open[slot] = false;
        final int prev = openPrev[slot];
        final int next = openNext[slot];
        if (prev == NONE)
        {
            openHead = next;
        }
        else
        {
            openNext[prev] = next;
        }
        if (next == NONE)
        {
            openTail = prev;
        }
        else
        {
            openPrev[next] = prev;
        }
    }

    private void grow(final int newCapacity)
    {
        final int old = slotCapacity;
        states = java.util.Arrays.copyOf(states, newCapacity * blocksPerPiece);
        pieceOfSlot = java.util.Arrays.copyOf(pieceOfSlot, newCapacity);
        blockCount = java.util.Arrays.copyOf(blockCount, newCapacity);
        received = java.util.Arrays.copyOf(received, newCapacity);
        busy = java.util.Arrays.copyOf(busy, newCapacity);
        missingFrom = java.util.Arrays.copyOf(missingFrom, newCapacity);
        freeSlots = java.util.Arrays.copyOf(freeSlots, newCapacity);
        openPrev = java.util.Arrays.copyOf(openPrev, newCapacity);
        openNext = java.util.Arrays.copyOf(openNext, newCapacity);
        open = java.util.Arrays.copyOf(open, newCapacity);
        // hand out low slot numbers first
        for (int s = newCapacity - 1; s >= old; s--)
        {
            freeSlots[freeCount++] = s;
            pieceOfSlot[s] = NONE;
        }
        slotCapacity = newCapacity;
    }

    /** Checks the open list against the block counts; for tests. */
    void verify()
    {
        int linked = 0;
        for (int s = openHead, prev = NONE; s != NONE; prev = s, s = openNext[s])
        {
            if (!open[s] || openPrev[s] != prev || pieceOfSlot[s] < 0 || missing(s) == 0)
            {
                throw new IllegalStateException("open list broken at slot " + s);
            }
            for (int b = 0; b < missingFrom[s]; b++)
            {
                if (state(s, b) == MISSING)
                {
                    throw new IllegalStateException("missing block " + b + " below the scan start of slot " + s);
                }
            }
            linked++;
        }
        int expected = 0;
        for (int s = 0; s < slotCapacity; s++)
        {
            expected += pieceOfSlot[s] >= 0 && missing(s) > 0 ? 1 : 0;
        }
        if (linked != expected)
        {
            throw new IllegalStateException(linked + " open slots linked, " + expected + " have missing blocks");
        }
    }
}
