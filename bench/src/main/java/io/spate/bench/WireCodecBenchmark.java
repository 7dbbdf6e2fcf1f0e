package io.spate.bench;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.spate.picker.PiecePicker;
import io.spate.wire.MessageDecoder;
import io.spate.wire.MessageEncoder;
import io.spate.wire.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Peer wire codec throughput. {@code decodeMixed} validates and dispatches a direct buffer of {@value #FRAMES}
 * frames (45% REQUEST, 45% HAVE, 10% PIECE with a 16 KiB block the decoder does not touch); the score is frames
 * per second. {@code encodeRequests} writes the same number of REQUEST frames.
 * <p>
 * Run: {@code java -jar bench/target/bench.jar WireCodec}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class WireCodecBenchmark
{
    static final int FRAMES = 1024;
    private static final int BLOCK = PiecePicker.BLOCK_LENGTH;
    private static final int PIECES = 4096;
    private static final int PIECE_LENGTH = 256 * 1024;

    private UnsafeBuffer frames;
    private int length;
    private UnsafeBuffer out;
    private MessageDecoder decoder;
    private SummingHandler handler;

    @Setup
    public void setup()
    {
        final Random random = new Random(1);
        frames = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAMES * (13 + BLOCK)));
        out = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAMES * 17));
        int n = 0;
        for (int i = 0; i < FRAMES; i++)
        {
            final int index = random.nextInt(PIECES);
            final int begin = random.nextInt(PIECE_LENGTH / BLOCK) * BLOCK;
            final int kind = random.nextInt(20);
            if (kind < 9)
            {
                n += MessageEncoder.request(frames, n, index, begin, BLOCK);
            }
            else if (kind < 18)
            {
                n += MessageEncoder.have(frames, n, index);
            }
            else
            {
                n += MessageEncoder.pieceHeader(frames, n, index, begin, BLOCK) + BLOCK;
            }
        }
        length = n;
        decoder = new MessageDecoder(PIECES, PIECE_LENGTH, PIECE_LENGTH, MessageDecoder.DEFAULT_MAX_FRAME_LENGTH);
        handler = new SummingHandler();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeMixed(final Blackhole bh)
    {
        final int consumed = decoder.decode(frames, 0, length, null, handler);
        if (consumed != length)
        {
            throw new IllegalStateException("decoded " + consumed + " of " + length + ": " + decoder.violation());
        }
        bh.consume(handler.sum);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int encodeRequests()
    {
        int n = 0;
        for (int i = 0; i < FRAMES; i++)
        {
            n += MessageEncoder.request(out, n, i, BLOCK, BLOCK);
        }
        return n;
    }

    /** Folds every field into one number so the JIT cannot drop the decoding. */
    static final class SummingHandler implements MessageHandler<Object>
    {
        long sum;

        @Override
        public void onKeepAlive(final Object peer)
        {
            sum++;
        }

        @Override
        public void onChoke(final Object peer)
        {
            sum++;
        }

        @Override
        public void onUnchoke(final Object peer)
        {
            sum++;
        }

        @Override
        public void onInterested(final Object peer)
        {
            sum++;
        }

        @Override
        public void onNotInterested(final Object peer)
        {
            sum++;
        }

        @Override
        public void onHave(final Object peer, final int index)
        {
            sum += index;
        }

        @Override
        public void onBitfield(final Object peer, final DirectBuffer buf, final int offset, final int length)
        {
            sum += length;
        }

        @Override
        public void onRequest(final Object peer, final int index, final int begin, final int length)
        {
            sum += index + begin + length;
        }

        @Override
        public void onCancel(final Object peer, final int index, final int begin, final int length)
        {
            sum += index + begin + length;
        }

        @Override
        public void onPiece(final Object peer,
            final int index, final int begin, final DirectBuffer buf, final int offset,
            final int length)
        {
            sum += index + begin + offset + length;
        }

        @Override
        public void onPort(final Object peer, final int port)
        {
            sum += port;
        }

        @Override
        public void onSuggestPiece(final Object peer, final int index)
        {
            sum += index;
        }

        @Override
        public void onHaveAll(final Object peer)
        {
            sum++;
        }

        @Override
        public void onHaveNone(final Object peer)
        {
            sum++;
        }

        @Override
        public void onRejectRequest(final Object peer, final int index, final int begin, final int length)
        {
            sum += index + begin + length;
        }

        @Override
        public void onAllowedFast(final Object peer, final int index)
        {
            sum += index;
        }

        @Override
        public void onExtended(final Object peer,
            final int extendedId, final DirectBuffer buf, final int offset, final int length)
        {
            sum += extendedId + length;
        }
    }
}
