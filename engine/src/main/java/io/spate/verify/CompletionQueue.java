package io.spate.verify;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Piece results on their way back to the owning network agent: many disk handlers write, one agent drains in
 * {@code doWork()}. Fixed records (torrent, piece, result) in a bounded ring of int arrays; nothing allocated per
 * piece. After writing, the handler wakes the agent (its selector) so a blocked agent sees the result at once.
 * <p>
 * A slot's sequence says whose turn it is (Vyukov's bounded queue): {@code position} while it is free for the
 * writer of that position, {@code position + 1} once that writer has filled it, {@code position + CAPACITY} when
 * the agent has read it and it is free for the next lap. Writers claim positions with a CAS on the tail; the agent
 * alone moves the head.
 * <p>
 * Java arrays, not an Agrona ring on a direct buffer: C2 speculated the inlined drain's buffer base non-null and
 * recompiled NetworkAgent.doWork (leechers' -XX:+LogCompilation, perf-results/jit/recompiles-20261207.md).
 */
public final class CompletionQueue
{
    /** Receives drained results on the agent's thread. */
    @FunctionalInterface
    public interface Consumer
    {
        void onPieceResult(int torrentId, int piece, int result);
    }

    /** Records in flight at most (the Agrona ring before held ~2,700): a full ring makes disk handlers spin. */
    static final int CAPACITY = 1 << 11;
    private static final int MASK = CAPACITY - 1;
    private static final int FIELDS = 3;
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] sequences = new long[CAPACITY];
    private final int[] records = new int[CAPACITY * FIELDS];
    private final AtomicLong tail = new AtomicLong();
    /** The next position the agent reads; the agent's thread only. */
    private long head;
    private final Consumer consumer;
    private final Runnable wakeup;
    private volatile boolean closed;

    /**
     * @param consumer receives results on the agent's thread.
     * @param wakeup   called after each result is queued (the agent's {@code selector.wakeup()}).
     */
    public CompletionQueue(final Consumer consumer, final Runnable wakeup)
    {
        this.consumer = consumer;
        this.wakeup = wakeup;
        for (int i = 0; i < CAPACITY; i++)
        {
            sequences[i] = i;
        }
    }

    /** Called by disk handlers (any thread). Spins if the ring is full, which its size makes rare. */
    void offer(final int torrentId, final int piece, final int result)
    {
        while (true)
        {
            final long position = tail.get();
            final int slot = (int)position & MASK;
            final long sequence = (long)SEQUENCE.getAcquire(sequences, slot);
            if (sequence == position)
            {
                if (tail.compareAndSet(position, position + 1))
                {
                    final int at = slot * FIELDS;
                    records[at] = torrentId;
                    records[at + 1] = piece;
                    records[at + 2] = result;
                    SEQUENCE.setRelease(sequences, slot, position + 1);
                    wakeup.run();
                    return;
                }
            }
            else if (sequence < position)
            {
                // full: the agent has not yet read this slot's record of the last lap
                if (closed)
                {
                    return; // the agent is gone: nobody will drain, and the results no longer matter
                }
                Thread.onSpinWait();
            }
            // else another handler took this position first: try the next
        }
    }

    /** Called by the agent as it stops: results offered after this may be dropped. */
    public void close()
    {
        closed = true;
    }

    /** Drains up to {@code limit} results on the agent's thread; returns how many. */
    public int drain(final int limit)
    {
        int drained = 0;
        while (drained < limit)
        {
            final long position = head;
            final int slot = (int)position & MASK;
            if ((long)SEQUENCE.getAcquire(sequences, slot) != position + 1)
            {
                break; // empty, or its writer has claimed the slot and not yet filled it
            }
            final int at = slot * FIELDS;
            final int torrentId = records[at];
            final int piece = records[at + 1];
            final int result = records[at + 2];
            SEQUENCE.setRelease(sequences, slot, position + CAPACITY);
            head = position + 1;
            drained++;
            consumer.onPieceResult(torrentId, piece, result);
        }
        return drained;
    }
}
