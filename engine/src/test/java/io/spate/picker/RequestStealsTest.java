package io.spate.picker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static io.spate.picker.PiecePickerTest.bits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link RequestSteals}: a peer with room takes over requests from the back of longer queues, only those that wait
 * long, never leaving a queue without a lead over the taker, never a block it lacks or has in flight; the picker's
 * count of requesters is left as it is (a move).
 */
class RequestStealsTest
{
    private static final PiecePicker.BlockFilter NONE = (p, b) -> false;
    private static final int BLOCKS_PER_PIECE = 4;

    private final int[] pieces = new int[64];
    private final int[] blocks = new int[64];
    private final int[] from = new int[64];

    /** Queues built from what a picker handed out, each with the rate its peer sends at. */
    private static final class FakeQueues implements RequestSteals.Queues
    {
        final List<List<int[]>> queues = new ArrayList<>();
        final List<Long> rates = new ArrayList<>();

        void add(final PiecePicker picker, final Bitfield has, final int n, final long rate)
        {
            final int[] p = new int[n];
            final int[] b = new int[n];
            assertEquals(n, picker.pick(has, false, n, p, b, NONE, 1));
            final List<int[]> queue = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                queue.add(new int[] {p[i], b[i]});
            }
            queues.add(queue);
            rates.add(rate);
        }

        @Override
        public int count()
        {
            return queues.size();
        }

        @Override
        public int size(final int queue)
        {
            return queues.get(queue).size();
        }

        @Override
        public int piece(final int queue, final int index)
        {
            return queues.get(queue).get(index)[0];
        }

        @Override
        public int block(final int queue, final int index)
        {
            return queues.get(queue).get(index)[1];
        }

        @Override
        public long rate(final int queue)
        {
            return rates.get(queue);
        }
    }

    private static PiecePicker picker(final int pieceCount)
    {
        return new PiecePicker(pieceCount, BLOCKS_PER_PIECE * BLOCK_LENGTH,
            (long)pieceCount * BLOCKS_PER_PIECE * BLOCK_LENGTH, 5);
    }

    @Test
    void takesTheBackOfALongQueueOnlyWhatWaitsLongAndLeavesThePickerAsItIs()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        // 16 blocks at a peer sending 8 blocks a second: the last 12 wait >= 0.5 s
        queues.add(picker, bits(4, 0, 1, 2, 3), 16, 8L * BLOCK_LENGTH);
        final int n = new RequestSteals(picker).pick(null, true, 0, 4, pieces, blocks, from, NONE, queues, 0);
        assertEquals(4, n, "up to the room");
        for (int i = 0; i < n; i++)
        {
            assertEquals(queues.piece(0, 15 - i), pieces[i], "from the back");
            assertEquals(queues.block(0, 15 - i), blocks[i]);
            assertEquals(0, from[i]);
            assertEquals(1, picker.requesters(pieces[i], blocks[i]), "a move: still one requester");
        }
        picker.verify();
    }

    @Test
    void neverFromTheFrontOfAQueue()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0, 1, 2, 3), 16, 8L * BLOCK_LENGTH);
        final int n = new RequestSteals(picker).pick(null, true, 0, 64, pieces, blocks, from, NONE, queues, 0);
        for (int i = 0; i < n; i++)
        {
            assertFalse(pieces[i] == queues.piece(0, 3) && blocks[i] == queues.block(0, 3), "waits < 0.5 s");
        }
    }

    @Test
    void aQueueKeepsItsLeadOverTheTaker()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0), 4, 0);
        assertEquals(1, new RequestSteals(picker).pick(null, true, 0, 10, pieces, blocks, from, NONE, queues, 0),
            "4 -> 3 against 1: a lead of 2");
        assertEquals(0, new RequestSteals(picker).pick(null, true, 0, 10, pieces, blocks, from, NONE, queues, 1),
            "a taker with one in flight already: 3 against 2 is no lead");
        final int n = new RequestSteals(picker).pick(null, true, 1, 10, pieces, blocks, from, NONE, queues, 0);
        assertEquals(1, n, "this call's fresh pick counts for the taker");
    }

    @Test
    void queuesAreVisitedInTurnAndOnlyPiecesThePeerHasNotInFlightThere()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0, 1), 8, 0);
        queues.add(picker, bits(4, 2, 3), 8, 0);
        final int n = new RequestSteals(picker).pick(null, true, 0, 2, pieces, blocks, from, NONE, queues, 0);
        assertEquals(2, n);
        assertEquals(0, from[0]);
        assertEquals(1, from[1]);
        final Bitfield onlyPiece = bits(4, queues.piece(1, 7));
        final PiecePicker.BlockFilter hasLast = (p, b) -> p == queues.piece(1, 7) && b == queues.block(1, 7);
        final int m = new RequestSteals(picker).pick(onlyPiece, false, 0, 1, pieces, blocks, from, hasLast, queues, 0);
        assertEquals(1, m);
        assertEquals(queues.piece(1, 7), pieces[0]);
        assertFalse(blocks[0] == queues.block(1, 7));
        assertEquals(1, from[0]);
    }

    @Test
    void notABlockAlreadyDuplicated()
    {
        final PiecePicker picker = picker(2);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(2, 0), 4, 0);
        queues.add(picker, bits(2, 1), 4, 0);
        // endgame: a second peer holds a duplicate of every block
        assertEquals(8, picker.pick(null, true, 8, pieces, blocks, NONE));
        assertEquals(0, new RequestSteals(picker).pick(null, true, 0, 8, pieces, blocks, from, NONE, queues, 0));
    }
}
