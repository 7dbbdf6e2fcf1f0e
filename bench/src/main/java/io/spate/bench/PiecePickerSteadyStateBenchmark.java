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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The picker as an agent drives it while downloading: 40 peers each keep {@code depth} requests in flight; each
 * step is one block arriving from the next peer (received, its piece verified when whole) and one new block picked
 * to refill that peer's queue. One invocation downloads a whole torrent of 65,536 blocks (1 GiB) from a fresh
 * picker built outside the timing, so the score is the picker's cost per block downloaded, endgame included.
 * Small pieces mean many started pieces at once, the case that stresses the started-piece bookkeeping.
 * The agent's in-flight check here is a linear scan of the peer's queue, as cheap as it gets for depth 64 and
 * costly at 500: endgame without the idle restraint calls it for every duplicate candidate.
 *
 * <pre>
 * java -jar bench/target/bench.jar PiecePickerSteadyStateBenchmark -p idleOnlyEndgame=true
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PiecePickerSteadyStateBenchmark
{
    private static final int PEERS = 40;
    private static final int TOTAL_BLOCKS = 65_536;

    /** Piece length in bytes: 16 KiB (one block per piece) or 256 KiB (16 blocks). */
    @Param({"16384", "262144"})
    public int pieceLength;

    @Param({"64", "500"})
    public int depth;

    /** Endgame duplicates only for idle peers (the 7-argument pick) or for any peer (the 6-argument one). */
    @Param({"true", "false"})
    public boolean idleOnlyEndgame;

    private PiecePicker picker;
    private Bitfield[] peers;
    private int[][] ringPiece;
    private int[][] ringBlock;
    private int[] ringHead;
    private int[] ringSize;
    private final int[] pieces = new int[1];
    private final int[] blocks = new int[1];
    private int next;
    private int current;
    private final PiecePicker.BlockFilter inFlight = this::inFlight;
    private long seed = 42;

    @Setup(Level.Trial)
    public void setUp()
    {
        ringPiece = new int[PEERS][depth];
        ringBlock = new int[PEERS][depth];
        ringHead = new int[PEERS];
        ringSize = new int[PEERS];
    }

    @Setup(Level.Invocation)
    public void restart()
    {
        final int pieceCount = TOTAL_BLOCKS / (pieceLength / PiecePicker.BLOCK_LENGTH);
        final SplittableRandom random = new SplittableRandom(seed++);
        picker = new PiecePicker(pieceCount, pieceLength, (long)pieceCount * pieceLength, seed);
        peers = new Bitfield[PEERS];
        for (int i = 0; i < PEERS; i++)
        {
            final Bitfield bits = new Bitfield(pieceCount);
            final int density = 30 + random.nextInt(70);
            for (int p = 0; p < pieceCount; p++)
            {
                if (random.nextInt(100) < density || i == 0)
                {
                    bits.set(p);
                }
            }
            peers[i] = bits;
            picker.peerHasBitfield(bits);
            ringHead[i] = 0;
            ringSize[i] = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(TOTAL_BLOCKS)
    public int downloadWholeTorrent()
    {
        for (int i = 0; i < PEERS; i++)
        {
            current = i;
            while (ringSize[i] < depth && picker.pick(peers[i], false, 1, pieces, blocks, inFlight) == 1)
            {
                push(i, pieces[0], blocks[0]);
            }
        }
        int steps = 0;
        while (!picker.isComplete())
        {
            step();
            steps++;
        }
        return steps;
    }

    private void step()
    {
        final int peer = next;
        next = next + 1 == PEERS ? 0 : next + 1;
        if (ringSize[peer] > 0)
        {
            final int at = ringHead[peer];
            final int piece = ringPiece[peer][at];
            final int block = ringBlock[peer][at];
            ringHead[peer] = at + 1 == depth ? 0 : at + 1;
            ringSize[peer]--;
            if (picker.blockReceived(piece, block) && picker.pieceWhole(piece))
            {
                picker.pieceVerified(piece);
            }
        }
        current = peer;
        final int n = idleOnlyEndgame ?
            picker.pick(peers[peer], false, 1, pieces, blocks, inFlight, ringSize[peer]) :
            picker.pick(peers[peer], false, 1, pieces, blocks, inFlight);
        if (n == 1)
        {
            push(peer, pieces[0], blocks[0]);
        }
    }

    private void push(final int peer, final int piece, final int block)
    {
        final int at = (ringHead[peer] + ringSize[peer]) % depth;
        ringPiece[peer][at] = piece;
        ringBlock[peer][at] = block;
        ringSize[peer]++;
    }

    private boolean inFlight(final int piece, final int block)
    {
        final int peer = current;
        for (int k = 0, at = ringHead[peer]; k < ringSize[peer]; k++, at = at + 1 == depth ? 0 : at + 1)
        {
            if (ringPiece[peer][at] == piece && ringBlock[peer][at] == block)
            {
                return true;
            }
        }
        return false;
    }
}
