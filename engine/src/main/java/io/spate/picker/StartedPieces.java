package io.spate.picker;

/**
 * Block states of the started pieces: a pool of slots, one per piece in progress, each holding one byte per block:
 * {@link #MISSING}, the number of peers it is requested from (1..{@link #MAX_REQUESTERS}), or {@link #RECEIVED}.
 * Slots are reused through a free list and the pool doubles when exhausted, so steady state allocates nothing.
 * Also keeps the started pieces in the order they were started, so the oldest are finished first.
 */
final class StartedPieces
{
    static final byte MISSING = 0;
    static final byte MAX_REQUESTERS = 126;
    static final byte RECEIVED = 127;

    private final int blocksPerPiece;
    private final int[] slotOfPiece;
    private byte[] states;
    private int[] pieceOfSlot;
    private int[] blockCount;
    private int[] received;
    /** Blocks not MISSING (requested or received); zero means the piece can go back to the fresh order. */
    private int[] busy;
    private int[] freeSlots;
    private int freeCount;
    private int slotCapacity;

    /** Started pieces, oldest first. */
    private int[] list;
    private int listSize;

    StartedPieces(final int pieceCount, final int blocksPerPiece, final int initialSlots)
    {
        this.blocksPerPiece = blocksPerPiece;
        this.slotOfPiece = new int[pieceCount];
        java.util.Arrays.fill(slotOfPiece, -1);
        this.slotCapacity = 0;
        this.states = new byte[0];
        this.pieceOfSlot = new int[0];
        this.blockCount = new int[0];
        this.received = new int[0];
        this.busy = new int[0];
        this.freeSlots = new int[0];
        this.list = new int[Math.max(1, Math.min(pieceCount, initialSlots))];
        grow(Math.max(1, Math.min(pieceCount, initialSlots)));
    }

    int slot(final int piece)
    {
        return slotOfPiece[piece];
    }

    int size()
    {
        return listSize;
    }

    int pieceAtListIndex(final int i)
    {
        return list[i];
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

    byte state(final int slot, final int block)
    {
        return states[slot * blocksPerPiece + block];
    }

    /** Starts the piece: a slot with every block MISSING, appended to the list. */
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
        java.util.Arrays.fill(states, slot * blocksPerPiece, slot * blocksPerPiece + blocks, MISSING);
        if (listSize == list.length)
        {
            list = java.util.Arrays.copyOf(list, list.length << 1);
        }
        list[listSize++] = piece;
        return slot;
    }

    /** Frees the piece's slot and drops it from the list (order of the rest kept). */
    void finish(final int piece)
    {
        final int slot = slotOfPiece[piece];
        if (slot < 0)
        {
            return;
        }
        slotOfPiece[piece] = -1;
        pieceOfSlot[slot] = -1;
        freeSlots[freeCount++] = slot;
        for (int i = 0; i < listSize; i++)
        {
            if (list[i] == piece)
            {
                System.arraycopy(list, i + 1, list, i, listSize - i - 1);
                listSize--;
                break;
            }
        }
    }

    /** MISSING to requested by one peer, or one more requester; returns true if the block was MISSING. */
    boolean request(final int slot, final int block)
    {
        final int i = slot * blocksPerPiece + block;
        final byte s = states[i];
        if (s == MISSING)
        {
            states[i] = 1;
            busy[slot]++;
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
            if (s == MISSING)
            {
                busy[slot]++;
            }
        }
        return s;
    }

    private void grow(final int newCapacity)
    {
        final int old = slotCapacity;
        states = java.util.Arrays.copyOf(states, newCapacity * blocksPerPiece);
        pieceOfSlot = java.util.Arrays.copyOf(pieceOfSlot, newCapacity);
        blockCount = java.util.Arrays.copyOf(blockCount, newCapacity);
        received = java.util.Arrays.copyOf(received, newCapacity);
        busy = java.util.Arrays.copyOf(busy, newCapacity);
        freeSlots = java.util.Arrays.copyOf(freeSlots, newCapacity);
        // hand out low slot numbers first
        for (int s = newCapacity - 1; s >= old; s--)
        {
            freeSlots[freeCount++] = s;
            pieceOfSlot[s] = -1;
        }
        slotCapacity = newCapacity;
    }
}
