package io.spate.verify;

import io.spate.picker.PiecePicker;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated ring slot: a received block (indices and offsets) and where its bytes are, on their way to a
 * positional write into the files and to the piece's SHA-1. A block read from a peer stays where the socket read put
 * it ({@link #reference}: the connection's read buffer, kept until the handlers are past this slot); other blocks (web
 * seeds, tests) are copied into the slot's own 16 KiB ({@link #data()}). Nothing here is allocated per block.
 */
public final class BlockEvent
{
    /** Largest block the ring carries: Spate requests blocks of the picker's length and accepts only those. */
    public static final int MAX_BLOCK = PiecePicker.BLOCK_LENGTH;

    private final BlockMemory own;
    /** Where the block's bytes are: {@link #own}, or memory a producer keeps until the handlers are past the slot. */
    BlockMemory memory;
    /** Offset of the block's first byte in {@link #memory}. */
    int offset;
    int torrentId;
    int piece;
    int begin;
    int length;
    int agentId;
    /** Set by the network agent on the block that makes its piece whole: the disk handler then verifies it. */
    boolean completesPiece;

    /** @param own this slot's 16 KiB of direct memory (a slice of one slab for the whole ring, see VerifyPipeline). */
    BlockEvent(final BlockMemory own)
    {
        this.own = own;
        this.memory = own;
    }

    /** Fills the slot, the block's bytes to be copied into {@link #data()} before publishing (or {@link #reference}d). */
    public BlockEvent set(final int torrentId, final int piece, final int begin, final int length, final int agentId,
        final boolean completesPiece)
    {
        this.torrentId = torrentId;
        this.piece = piece;
        this.begin = begin;
        this.length = length;
        this.agentId = agentId;
        this.completesPiece = completesPiece;
        this.memory = own;
        this.offset = 0;
        return this;
    }

    /**
     * The block's bytes stay at {@code offset} in {@code memory}, which its producer does not reuse until every
     * handler has processed this slot ({@link VerifyPipeline#processedUpTo()}): no copy into the slot.
     */
    public BlockEvent reference(final BlockMemory memory, final int offset)
    {
        this.memory = memory;
        this.offset = offset;
        return this;
    }

    /** The slot's own memory, for a block that is copied in. */
    public UnsafeBuffer data()
    {
        return own.view();
    }
}
