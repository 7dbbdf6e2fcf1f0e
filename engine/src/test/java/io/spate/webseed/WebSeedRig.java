package io.spate.webseed;

import io.spate.metainfo.Metainfo;
import io.spate.picker.PiecePicker;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link WebSeeds} driven by the test thread as the agent would drive it, with a fake clock: the real picker, the real
 * HTTP client against a real server, the agent's queue as a blocking queue the test drains, and a "disk" that keeps
 * the blocks in memory, checks each whole piece's SHA-1 and reports the verdict as the session does.
 */
final class WebSeedRig implements AutoCloseable
{
    static final long SECOND_NS = 1_000_000_000L;

    final Metainfo metainfo;
    final PiecePicker picker;
    final WebSeedClient client = new WebSeedClient();
    final LinkedBlockingQueue<Runnable> agentQueue = new LinkedBlockingQueue<>();
    final List<String> warnings = new ArrayList<>();
    final byte[] received;
    final WebSeeds webSeeds;
    /** Blocks the "ring" takes before it is full; negative: never full. */
    int room = -1;
    int blocksDelivered;
    int piecesFailed;
    long now = 1_000 * SECOND_NS;
    private final ArrayDeque<Integer> whole = new ArrayDeque<>();

    WebSeedRig(final Metainfo metainfo)
    {
        this.metainfo = metainfo;
        this.picker = new PiecePicker(metainfo.pieceCount(), metainfo.pieceLength(), metainfo.totalLength(), 42);
        this.received = new byte[(int)metainfo.totalLength()];
        this.webSeeds = new WebSeeds(metainfo, picker, client, new Sink(), agentQueue::add, () -> now,
            warnings::add);
    }

    /** Moves the clock on and runs the once-a-second work. */
    void tick(final long advanceNs)
    {
        now += advanceNs;
        webSeeds.onTick(now);
        verdicts();
    }

    /** Runs what comes back through the agent's queue, and the verdicts, until {@code done} (bounded: 60 s). */
    void pumpUntil(final BooleanSupplier done, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("never " + what + "; warnings " + warnings);
            }
            final Runnable command = agentQueue.poll(20, TimeUnit.MILLISECONDS);
            if (command != null)
            {
                command.run();
            }
            verdicts();
        }
    }

    /** Runs until every piece is verified, ticking the fake clock a second whenever nothing comes back. */
    void pumpToCompletion() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!picker.isComplete())
        {
            if (System.nanoTime() > deadline)
            {
                fail("incomplete: " + picker.missingPieces() + " pieces missing; warnings " + warnings);
            }
            final Runnable command = agentQueue.poll(50, TimeUnit.MILLISECONDS);
            if (command != null)
            {
                command.run();
                verdicts();
            }
            else
            {
                tick(SECOND_NS);
            }
        }
    }

    /** The SHA-1 of each piece made whole, and its verdict reported in the session's order. */
    private void verdicts()
    {
        while (!whole.isEmpty())
        {
            final int piece = whole.poll();
            final int from = piece * metainfo.pieceLength();
            final byte[] digest = sha1(Arrays.copyOfRange(received, from, from + metainfo.pieceSize(piece)));
            if (metainfo.pieceHashMatches(piece, digest, 0))
            {
                picker.pieceVerified(piece);
                webSeeds.pieceVerified(piece);
            }
            else
            {
                piecesFailed++;
                webSeeds.pieceFailed(piece);
                picker.pieceFailed(piece);
            }
        }
    }

    boolean warned(final String part)
    {
        return warnings.stream().anyMatch(w -> w.contains(part));
    }

    private static byte[] sha1(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close()
    {
        webSeeds.stop();
        client.close();
    }

    private final class Sink implements BlockSink
    {
        @Override
        public boolean hasRoom(final int blocks)
        {
            return room < 0 || room >= blocks;
        }

        @Override
        public boolean block(final int piece, final int block, final byte[] data, final int offset, final int length)
        {
            if (!picker.blockReceived(piece, block))
            {
                return false;
            }
            System.arraycopy(data, offset, received, piece * metainfo.pieceLength() + block * PiecePicker.BLOCK_LENGTH,
                length);
            blocksDelivered++;
            if (room > 0)
            {
                room--;
            }
            if (picker.pieceWhole(piece))
            {
                whole.add(piece);
            }
            return true;
        }
    }
}
