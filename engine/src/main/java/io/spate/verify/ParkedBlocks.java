package io.spate.verify;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A disk handler's room for blocks that arrived ahead of their piece's next expected block: peers answer requests
 * out of order (libtorrent's disk threads complete reads in parallel; over half of a 1 GiB leech from it came out
 * of order), and a block parked here until the gap before it fills is then written and hashed in order, instead of
 * the whole piece being read back from the files at the end. Fixed slots of one direct slab, allocated on the first
 * park (a seed never parks); owned by one thread.
 */
final class ParkedBlocks
{
    private final int slotCount;
    private UnsafeBuffer[] slots;
    private int[] lengths;
    private int[] free;
    private int freeCount;

    ParkedBlocks(final int slotCount)
    {
        this.slotCount = slotCount;
    }

    /** @return the slot now holding a copy of the block, or -1 if every slot is taken. */
    int park(final DirectBuffer block, final int length)
    {
        if (slots == null)
        {
            allocate();
        }
        if (freeCount == 0)
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

    private void allocate()
    {
        final ByteBuffer slab = BufferUtil.allocateDirectAligned(slotCount * BlockEvent.MAX_BLOCK, 4096);
        slots = new UnsafeBuffer[slotCount];
        lengths = new int[slotCount];
        free = new int[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            slots[i] = new UnsafeBuffer(slab.slice(i * BlockEvent.MAX_BLOCK, BlockEvent.MAX_BLOCK));
            free[i] = slotCount - 1 - i;
        }
        freeCount = slotCount;
    }
}
