package io.spate.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscChunkedArrayQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many-producer, one-consumer hand-off of small objects, where Spate's threads meet: the network agent's command queue
 * ({@code NetworkAgent.offer}: Agrona {@code ManyToOneConcurrentArrayQueue(4096)}, drained 64 at a time in
 * {@code doWork}) and the disk handlers' piece results ({@code verify.CompletionQueue}: 12-byte records in an Agrona
 * {@code ManyToOneRingBuffer}, drained 1024 at a time).
 * <p>
 * Group {@code p1}: one producer, one consumer; group {@code p2}: two producers, one consumer (three threads: on a
 * 2-core machine they share cores, as Spate's do). Producers count full queues and yield on one; the consumer drains
 * up to {@code drainLimit} per call, counts empty drains and yields on one (without the yields, on a loaded 2-core box,
 * each side spun through its whole time slice against a full or empty queue and the figure measured the scheduler).
 * The figure that matters is {@code drained}: items passed from producers to the consumer per second (JMH aux
 * counter, summed over threads).
 * <p>
 * {@code single}: one thread offers {@code drainLimit} items, then drains them: the cost of a hand-off without a
 * second core's cache traffic or the scheduler (score: items per second).
 * <p>
 * Queues ({@code queue}), each holding at most 4096 items:
 * <ul>
 *   <li>{@code agrona}: {@code ManyToOneConcurrentArrayQueue(4096)} (today's command queue);</li>
 *   <li>{@code jctoolsMpscArray}: {@code MpscArrayQueue(4096)};</li>
 *   <li>{@code jctoolsMpscChunked}: {@code MpscChunkedArrayQueue(1024, 4096)} (grows chunk by chunk to 4096);</li>
 *   <li>{@code jctoolsMpscXadd}: {@code MpscUnboundedXaddArrayQueue(1024)}: unbounded, so the producer refuses to
 *       offer while {@code size() >= 4096} (what keeps a fast producer from filling the heap; it costs that queue a
 *       size() per offer);</li>
 *   <li>{@code agronaRingBuffer}: {@code ManyToOneRingBuffer} of 64 KiB holding 12-byte records (today's completion
 *       queue; it copies the item's fields, not a reference).</li>
 * </ul>
 * Run: {@code java -jar bench/target/bench.jar MpscHandoff} (tools/bench-queues.sh records it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx512m"})
public class MpscHandoffBenchmark
{
    static final int CAPACITY = 4096;

    /** A small message, as a command or a piece result. */
    public static final class Item
    {
        final int torrent;
        final int piece;
        final int result;

        Item(final int i)
        {
            torrent = i & 7;
            piece = i;
            result = i & 1;
        }
    }

    interface Sink
    {
        void accept(int torrent, int piece, int result);
    }

    /** The hand-off under test: offer from any thread, drain on the consumer's. */
    interface Handoff
    {
        boolean offer(Item item, UnsafeBuffer scratch);

        int drain(Sink sink, int limit);
    }

    static Handoff create(final String kind)
    {
        switch (kind)
        {
            case "agrona":
            {
                final ManyToOneConcurrentArrayQueue<Item> q = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
                return new Handoff()
                {
                    Sink sink;
                    final java.util.function.Consumer<Item> each = e -> sink.accept(e.torrent, e.piece, e.result);

                    public boolean offer(final Item item, final UnsafeBuffer b)
                    {
                        return q.offer(item);
                    }

                    public int drain(final Sink s, final int limit)
                    {
                        sink = s;
                        return q.drain(each, limit);
                    }
                };
            }
            case "jctoolsMpscArray":
                return jctools(new MpscArrayQueue<>(CAPACITY), false);
            case "jctoolsMpscChunked":
                return jctools(new MpscChunkedArrayQueue<>(1024, CAPACITY), false);
            case "jctoolsMpscXadd":
                return jctools(new MpscUnboundedXaddArrayQueue<>(1024), true);
            case "agronaRingBuffer":
            {
                final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                    ByteBuffer.allocateDirect((1 << 16) + RingBufferDescriptor.TRAILER_LENGTH)));
                return new Handoff()
                {
                    Sink sink;
                    final MessageHandler handler = (type, buffer, index, length) ->
                        sink.accept(buffer.getInt(index), buffer.getInt(index + 4), buffer.getInt(index + 8));

                    public boolean offer(final Item item, final UnsafeBuffer b)
                    {
                        b.putInt(0, item.torrent);
                        b.putInt(4, item.piece);
                        b.putInt(8, item.result);
                        return ring.write(1, b, 0, 12);
                    }

                    public int drain(final Sink s, final int limit)
                    {
                        sink = s;
                        return ring.read(handler, limit);
                    }
                };
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static Handoff jctools(final MessagePassingQueue<Item> q, final boolean unbounded)
    {
        return new Handoff()
        {
            Sink sink;
            final MessagePassingQueue.Consumer<Item> each = e -> sink.accept(e.torrent, e.piece, e.result);

            public boolean offer(final Item item, final UnsafeBuffer b)
            {
                if (unbounded && q.size() >= CAPACITY)
                {
                    return false;
                }
                return q.offer(item);
            }

            public int drain(final Sink s, final int limit)
            {
                sink = s;
                return q.drain(each, limit);
            }
        };
    }

    @State(Scope.Group)
    public static class Shared
    {
        @Param({"agrona", "jctoolsMpscArray", "jctoolsMpscChunked", "jctoolsMpscXadd", "agronaRingBuffer"})
        public String queue;

        /** Items drained per call at most (the command queue drains 64, the completion queue 1024). */
        @Param({"64"})
        public int drainLimit;

        Handoff handoff;

        @Setup(Level.Iteration)
        public void setUp()
        {
            handoff = create(queue);
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProducerCounters
    {
        public long offered;
        public long offerFull;
        final Item[] items = new Item[256];
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16)); // as each disk handler's
        int next;

        @Setup(Level.Trial)
        public void make()
        {
            for (int i = 0; i < items.length; i++)
            {
                items[i] = new Item(i);
            }
        }

        @Setup(Level.Iteration)
        public void clear()
        {
            offered = 0;
            offerFull = 0;
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ConsumerCounters implements Sink
    {
        public long drained;
        public long drainEmpty;
        long sum;

        @Setup(Level.Iteration)
        public void clear()
        {
            drained = 0;
            drainEmpty = 0;
        }

        @Override
        public void accept(final int torrent, final int piece, final int result)
        {
            sum += torrent + piece + result;
        }
    }

    private static void offer(final Shared s, final ProducerCounters c)
    {
        final Item item = c.items[c.next++ & 255];
        if (s.handoff.offer(item, c.scratch))
        {
            c.offered++;
        }
        else
        {
            c.offerFull++;
            Thread.yield(); // full: let the consumer run (Spate's offer parks instead)
        }
    }

    private static long drain(final Shared s, final ConsumerCounters c)
    {
        final int n = s.handoff.drain(c, s.drainLimit);
        if (n == 0)
        {
            c.drainEmpty++;
            Thread.yield(); // empty: let a producer run (Spate's agent would select)
        }
        else
        {
            c.drained += n;
        }
        return c.sum;
    }

    @State(Scope.Thread)
    public static class Alone
    {
        @Param({"agrona", "jctoolsMpscArray", "jctoolsMpscChunked", "jctoolsMpscXadd", "agronaRingBuffer"})
        public String queue;

        @Param({"64"})
        public int drainLimit;

        Handoff handoff;
        final ProducerCounters producer = new ProducerCounters();
        final ConsumerCounters consumer = new ConsumerCounters();

        @Setup(Level.Trial)
        public void setUp()
        {
            handoff = create(queue);
            producer.make();
        }
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public long single(final Alone a)
    {
        if (a.drainLimit != 64)
        {
            throw new IllegalStateException("single counts 64 items an invocation");
        }
        for (int i = 0; i < 64; i++)
        {
            if (!a.handoff.offer(a.producer.items[i], a.producer.scratch))
            {
                throw new IllegalStateException("full");
            }
        }
        int drained = 0;
        for (int k = 0; k < 4 && drained < 64; k++) // a ring buffer's read stops at its wrap point: read again
        {
            drained += a.handoff.drain(a.consumer, 64 - drained);
        }
        if (drained != 64)
        {
            throw new IllegalStateException("lost items");
        }
        return a.consumer.sum;
    }

    @Benchmark
    @Group("p1")
    @GroupThreads(1)
    public void p1Offer(final Shared s, final ProducerCounters c)
    {
        offer(s, c);
    }

    @Benchmark
    @Group("p1")
    @GroupThreads(1)
    public long p1Drain(final Shared s, final ConsumerCounters c)
    {
        return drain(s, c);
    }

    @Benchmark
    @Group("p2")
    @GroupThreads(2)
    public void p2Offer(final Shared s, final ProducerCounters c)
    {
        offer(s, c);
    }

    @Benchmark
    @Group("p2")
    @GroupThreads(1)
    public long p2Drain(final Shared s, final ConsumerCounters c)
    {
        return drain(s, c);
    }
}
