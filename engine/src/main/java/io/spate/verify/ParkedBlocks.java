package io.spate.verify;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A disk handler's room for blocks that arrived ahead of their piece's next expected block: peers answer requests
 * out of order (libtorrent's disk threads complete reads in parallel; over half of a 1 GiB leech from it came out
 * of order), and a block parked here until the gap before it fills is then written and hashed in order, instead of
 * the whole piece being read back from the files at the end. Slots of direct memory made {@link #CHUNK} at a time as
 * parking fills, up to the slot count (a seed never parks; a leecher's 16 MiB made up front was a fifth of its
 * anonymous memory, perf-results/memory/SUMMARY.md); owned by one thread.
 */
final class ParkedBlocks
{
    /** Slots made at once: 1 MiB of blocks (one slab each, since 1,024 single allocations took ~50 ms). */
    static final int CHUNK = 64;

    private final int slotCount;
    private UnsafeBuffer[] slots;
    private int[] lengths;
    private int[] free;
    private int freeCount;
    /** Slots made so far. */
    private int made;

    ParkedBlocks(final int slotCount)
    {
        this.slotCount = slotCount;
    }

    /** @return the slot now holding a copy of the block, or -1 if every slot is taken. */
    int park(final DirectBuffer block, final int length)
    {
        if (freeCount == 0 && !grow())
        {
            return -1;
        }
        final int slot = free[--freeCount];
        slots[slot].putBytes(0, block, 0, length);
        lengths[slot] = length;
        return slot;
    }

    UnsafeBuffer data(final int slot)
    {
        return slots[slot];
    }

    int length(final int slot)
    {
        return lengths[slot];
    }

    void release(final int slot)
    {
        free[freeCount++] = slot;
    }

    /** @return the slots made so far (for tests). */
    int made()
    {
        return made;
    }

    /** Makes up to {@link #CHUNK} more slots; false when all {@code slotCount} are made and taken. */
    private boolean grow()
    {
        if (slots == null)
        {
            slots = new UnsafeBuffer[slotCount];
            lengths = new int[slotCount];
            free = new int[slotCount];
        }
        final int n = Math.min(CHUNK, slotCount - made);
        if (n == 0)
        {
            return false;
        }
        final ByteBuffer slab = BufferUtil.allocateDirectAligned(n * BlockEvent.MAX_BLOCK, 4096);
        for (int i = n - 1; i >= 0; i--)
        {
            slots[made + i] = new UnsafeBuffer(slab.slice(i * BlockEvent.MAX_BLOCK, BlockEvent.MAX_BLOCK));
            free[freeCount++] = made + i;
        }
        made += n;
        return true;
    }
}
