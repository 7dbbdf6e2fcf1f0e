package io.spate.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.spate.picker.Bitfield;
import io.spate.picker.PiecePicker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one pick of 64 blocks (a request queue refill) for one of 40 peers, in a torrent of 4,096 or 65,536
 * pieces of 256 KiB, past the random-first phase; the picked blocks are abandoned again in the same call so every
 * call sees the same state (the score includes the 64 abandons and the pieces going back to the order). Also one HAVE
 * arriving and leaving (the availability update), and a pick for a peer that has only 1% of the pieces (the scan's
 * worst case).
 *
 * <pre>
 * mvn -q -o package -DskipTests && java -jar bench/target/bench.jar PiecePickerBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PiecePickerBenchmark
{
    private static final int PEERS = 40;
    private static final int PICK = 64;
    private static final int PIECE_LENGTH = 256 * 1024;

    @Param({"4096", "65536"})
    public int pieceCount;

    private PiecePicker picker;
    private Bitfield[] peers;
    private Bitfield sparsePeer;
    private final int[] pieces = new int[PICK];
    private final int[] blocks = new int[PICK];
    private int next;
    private int havePiece;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        picker = new PiecePicker(pieceCount, PIECE_LENGTH, (long)pieceCount * PIECE_LENGTH, 42);
        peers = new Bitfield[PEERS];
        for (int i = 0; i < PEERS; i++)
        {
            final Bitfield bits = new Bitfield(pieceCount);
            final int density = 30 + random.nextInt(70);
            for (int p = 0; p < pieceCount; p++)
            {
                if (random.nextInt(100) < density)
                {
                    bits.set(p);
                }
            }
            peers[i] = bits;
            picker.peerHasBitfield(bits);
        }
        sparsePeer = new Bitfield(pieceCount);
        for (int p = random.nextInt(100); p < pieceCount; p += 100)
        {
            sparsePeer.set(p);
        }
        picker.peerHasBitfield(sparsePeer);
        for (int i = 0; i < 2 * PiecePicker.RANDOM_FIRST_PIECES; i++)
        {
            picker.markHave(random.nextInt(pieceCount));
        }
    }

    @Benchmark
    public int pick64ThenAbandon()
    {
        final Bitfield peer = peers[next];
        next = next + 1 == PEERS ? 0 : next + 1;
        return pickAndAbandon(peer);
    }

    @Benchmark
    public int pick64ThenAbandonSparsePeer()
    {
        return pickAndAbandon(sparsePeer);
    }

    @Benchmark
    public int haveArrivesAndLeaves()
    {
        final int piece = havePiece;
        havePiece = piece + 1 == pieceCount ? 0 : piece + 1;
        picker.peerHasPiece(piece);
        picker.peerLostPiece(piece);
        return picker.availability(piece);
    }

    private int pickAndAbandon(final Bitfield peer)
    {
        final int count = picker.pick(peer, false, PICK, pieces, blocks, null);
        for (int i = 0; i < count; i++)
        {
            picker.requestAbandoned(pieces[i], blocks[i]);
        }
        return count;
    }
}
