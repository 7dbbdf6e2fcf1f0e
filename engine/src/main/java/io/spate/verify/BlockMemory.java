package io.spate.verify;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Direct memory that received blocks live in until the disk handlers have written and hashed them: a ring slot's own
 * 16 KiB, or a connection's read buffer, whose blocks the handlers then take in place (no copy between the socket
 * read and the positional write). Each disk handler gets its own {@link ByteBuffer} view of the memory, because a
 * positional write sets the buffer's position and limit and two handlers (or a handler and the network agent reading
 * the socket into the same memory) may use it at once; the network agent uses {@link #buffer()} and {@link #view()}.
 */
public final class BlockMemory
{
    private final ByteBuffer buffer;
    private final UnsafeBuffer view;
    private final ByteBuffer[] handlerViews;

    /** Allocates {@code capacity} bytes of direct memory, 64-byte aligned, with views for {@code handlers} handlers. */
    public BlockMemory(final int capacity, final int handlers)
    {
        this(BufferUtil.allocateDirectAligned(capacity, 64), handlers);
    }

    /** Wraps {@code buffer} (direct; a slice of a larger slab for ring slots). */
    BlockMemory(final ByteBuffer buffer, final int handlers)
    {
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException("block memory must be direct: positional writes read it in place");
        }
        this.buffer = buffer;
        this.view = new UnsafeBuffer(buffer);
        this.handlerViews = new ByteBuffer[handlers];
        for (int i = 0; i < handlers; i++)
        {
            handlerViews[i] = buffer.duplicate();
        }
    }

    /** The producer's buffer (socket reads set its position and limit); only the owning network agent uses it. */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /** The producer's view over the whole memory. */
    public UnsafeBuffer view()
    {
        return view;
    }

    public int capacity()
    {
        return buffer.capacity();
    }

    /** The view disk handler {@code handler} alone sets position and limit on. */
    ByteBuffer handlerView(final int handler)
    {
        return handlerViews[handler];
    }
}
