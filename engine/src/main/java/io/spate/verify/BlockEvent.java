package io.spate.verify;

import io.spate.picker.PiecePicker;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated ring slot: a received block (indices, offsets and a reused 16 KiB data buffer), on its way to a
 * positional write into its file and, when it completes its piece, to SHA-1 verification. Nothing here is allocated
 * per block.
 */
public final class BlockEvent
{
    /** Largest block the ring carries: Spate requests blocks of the picker's length and accepts only those. */
    public static final int MAX_BLOCK = PiecePicker.BLOCK_LENGTH;

    final UnsafeBuffer data;
    int torrentId;
    int piece;
    int begin;
    int length;
    int agentId;
    /** Set by the network agent on the block that makes its piece whole: the disk handler then verifies it. */
    boolean completesPiece;

    /** @param data this slot's 16 KiB of direct memory (a slice of one slab for the whole ring, see VerifyPipeline). */
    BlockEvent(final java.nio.ByteBuffer data)
    {
        this.data = new UnsafeBuffer(data);
    }

    /** Fills the slot; the caller copies the block into {@link #data()} before publishing. */
    public BlockEvent set(final int torrentId, final int piece, final int begin, final int length, final int agentId,
        final boolean completesPiece)
    {
        this.torrentId = torrentId;
        this.piece = piece;
        this.begin = begin;
        this.length = length;
        this.agentId = agentId;
        this.completesPiece = completesPiece;
        return this;
    }

    public UnsafeBuffer data()
    {
        return data;
    }
}
