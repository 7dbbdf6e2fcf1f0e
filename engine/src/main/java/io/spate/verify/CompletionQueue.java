package io.spate.verify;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Piece results on their way back to the owning network agent: many disk handlers write, one agent drains in
 * {@code doWork()}. Fixed 12-byte records (torrent, piece, result) in an Agrona ring; nothing allocated per piece.
 * After writing, the handler wakes the agent (its selector) so a blocked agent sees the result at once.
 */
public final class CompletionQueue
{
    /** Receives drained results on the agent's thread. */
    @FunctionalInterface
    public interface Consumer
    {
        void onPieceResult(int torrentId, int piece, int result);
    }

    private static final int MSG_TYPE = 1;
    private static final int CAPACITY = 1 << 16;

    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    private final Runnable wakeup;
    private final org.agrona.concurrent.MessageHandler handler;
    private volatile boolean closed;

    /**
     * @param consumer receives results on the agent's thread.
     * @param wakeup   called after each result is queued (the agent's {@code selector.wakeup()}).
     */
    public CompletionQueue(final Consumer consumer, final Runnable wakeup)
    {
        this.wakeup = wakeup;
        this.handler = (msgTypeId, buffer, index, length) ->
            consumer.onPieceResult(buffer.getInt(index), buffer.getInt(index + 4), buffer.getInt(index + 8));
    }

    /** Called by disk handlers (any thread). Spins if the ring is full, which the ring size makes rare. */
    void offer(final int torrentId, final int piece, final int result, final UnsafeBuffer scratch)
    {
        scratch.putInt(0, torrentId);
        scratch.putInt(4, piece);
        scratch.putInt(8, result);
        while (!ring.write(MSG_TYPE, scratch, 0, 12))
        {
            if (closed)
            {
                return; // the agent is gone: nobody will drain, and the results no longer matter
            }
            Thread.onSpinWait();
        }
        wakeup.run();
    }

    /** Called by the agent as it stops: results offered after this may be dropped. */
    public void close()
    {
        closed = true;
    }

    /** Drains up to {@code limit} results on the agent's thread; returns how many. */
    public int drain(final int limit)
    {
        return ring.read(handler, limit);
    }
}
