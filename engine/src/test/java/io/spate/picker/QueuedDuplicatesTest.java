package io.spate.picker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static io.spate.picker.PiecePickerTest.bits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link QueuedDuplicates}: a peer with room takes duplicates from the back of other peers' queues, only requests that
 * wait long there, each block at most two peers, never a block it lacks or has in flight.
 */
class QueuedDuplicatesTest
{
    private static final PiecePicker.BlockFilter NONE = (p, b) -> false;
    private static final int BLOCKS_PER_PIECE = 4;

    private final int[] pieces = new int[64];
    private final int[] blocks = new int[64];

    /** Queues built from what a picker handed out, each with the rate its peer sends at. */
    private static final class FakeQueues implements QueuedDuplicates.Queues
    {
        final List<int[]> requests = new ArrayList<>(); // {queue, piece, block}
        final List<Long> rates = new ArrayList<>();

        int add(final PiecePicker picker, final Bitfield has, final int n, final long rate)
        {
            final int queue = rates.size();
            rates.add(rate);
            final int[] p = new int[n];
            final int[] b = new int[n];
            final int got = picker.pick(has, false, n, p, b, NONE, 1);
            assertEquals(n, got);
            for (int i = 0; i < got; i++)
            {
                requests.add(new int[] {queue, p[i], b[i]});
            }
            return queue;
        }

        private int[] at(final int queue, final int index)
        {
            int seen = 0;
            for (final int[] r : requests)
            {
                if (r[0] == queue && seen++ == index)
                {
                    return r;
                }
            }
            throw new IndexOutOfBoundsException(queue + "/" + index);
        }

        @Override
        public int count()
        {
            return rates.size();
        }

        @Override
        public int size(final int queue)
        {
            return (int)requests.stream().filter(r -> r[0] == queue).count();
        }

        @Override
        public int piece(final int queue, final int index)
        {
            return at(queue, index)[1];
        }

        @Override
        public int block(final int queue, final int index)
        {
            return at(queue, index)[2];
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
    void takesTheBackOfTheQueueFirstAndOnlyWhatWaitsLong()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        // 8 blocks (pieces 0 and 1) at a peer sending 8 blocks a second: the last 4 wait >= 0.5 s
        queues.add(picker, bits(4, 0, 1), 8, 8L * BLOCK_LENGTH);
        final QueuedDuplicates duplicates = new QueuedDuplicates(picker);
        final int n = duplicates.pick(null, true, 0, 10, pieces, blocks, NONE, queues, 0);
        assertEquals(4, n, "only the back half waits long");
        for (int i = 0; i < n; i++)
        {
            assertEquals(queues.piece(0, 7 - i), pieces[i], "from the back");
            assertEquals(queues.block(0, 7 - i), blocks[i]);
            assertEquals(2, picker.requesters(pieces[i], blocks[i]));
        }
        assertEquals(1, picker.requesters(queues.piece(0, 0), queues.block(0, 0)), "the front is left alone");
        assertEquals(0, duplicates.pick(null, true, 0, 10, pieces, blocks, NONE, queues, 0), "never a third requester");
        picker.verify();
    }

    @Test
    void aQueueOfUnknownRateIsAllWaitingAndTheQueuesAreVisitedInTurn()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0), 4, 0);
        queues.add(picker, bits(4, 1), 4, 0);
        final int n = new QueuedDuplicates(picker).pick(null, true, 0, 3, pieces, blocks, NONE, queues, 0);
        assertEquals(3, n, "up to the room");
        assertEquals(queues.piece(0, 3), pieces[0]);
        assertEquals(queues.piece(1, 3), pieces[1]);
        assertEquals(queues.piece(0, 2), pieces[2]);
        assertEquals(queues.block(0, 2), blocks[2]);
    }

    @Test
    void neverABlockThePeerLacksOrHasInFlight()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0), 4, 0);
        queues.add(picker, bits(4, 1), 4, 0);
        final PiecePicker.BlockFilter hasBlockOne = (p, b) -> b == 1;
        final int n = new QueuedDuplicates(picker).pick(bits(4, 1), false, 0, 10, pieces, blocks, hasBlockOne, queues, 0);
        assertEquals(3, n);
        for (int i = 0; i < n; i++)
        {
            assertEquals(1, pieces[i], "only the piece it has");
            assertFalse(blocks[i] == 1, "not the block it has in flight");
        }
        assertEquals(1, picker.requesters(0, 0));
    }

    @Test
    void onlyAPeerWithFewRequestsAndOnlyUpToAFewInFlight()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0, 1), 8, 0);
        final QueuedDuplicates duplicates = new QueuedDuplicates(picker);
        assertEquals(0, duplicates.pick(null, true, 0, 10, pieces, blocks, NONE, queues,
            QueuedDuplicates.MAX_IN_FLIGHT), "a busy peer gets none");
        assertEquals(QueuedDuplicates.MAX_IN_FLIGHT - 1,
            duplicates.pick(null, true, 0, 10, pieces, blocks, NONE, queues, 1));
        assertEquals(3, duplicates.pick(null, true, 1, 10, pieces, blocks, NONE, queues, 1),
            "this call's fresh pick counts too: one fresh and two duplicates");
    }

    @Test
    void appendsAfterThisCallsFreshPicks()
    {
        final PiecePicker picker = picker(4);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(4, 0), 4, 0);
        pieces[0] = 3;
        blocks[0] = 0;
        final int n = new QueuedDuplicates(picker).pick(null, true, 1, 3, pieces, blocks, NONE, queues, 0);
        assertEquals(3, n);
        assertEquals(3, pieces[0], "the fresh pick stays");
        assertEquals(0, pieces[1]);
        assertEquals(0, pieces[2]);
    }

    @Test
    void theFirstCopyCountsAndTheDuplicateCanBeAbandoned()
    {
        final PiecePicker picker = picker(2);
        final FakeQueues queues = new FakeQueues();
        queues.add(picker, bits(2, 0), 4, 0);
        assertEquals(4, new QueuedDuplicates(picker).pick(null, true, 0, 4, pieces, blocks, NONE, queues, 0));
        assertTrue(picker.blockReceived(0, 3));
        assertFalse(picker.blockReceived(0, 3), "the second copy is a duplicate");
        picker.requestAbandoned(0, 2);
        assertEquals(1, picker.requesters(0, 2), "the other request stands");
        assertEquals(4, picker.unrequestedBlocks(), "piece 1 untouched");
        picker.verify();
    }

    @Test
    void requestDuplicateRefusesMissingReceivedAndFullBlocks()
    {
        final PiecePicker picker = picker(2);
        assertFalse(picker.requestDuplicate(0, 0, 2), "missing: not a duplicate");
        assertEquals(4, picker.pick(bits(2, 0), false, 4, pieces, blocks, NONE, 1));
        assertTrue(picker.requestDuplicate(0, 0, 2));
        assertFalse(picker.requestDuplicate(0, 0, 2), "two requesters already");
        assertTrue(picker.blockReceived(0, 1));
        assertFalse(picker.requestDuplicate(0, 1, 2), "received");
        assertFalse(picker.requestDuplicate(7, 0, 2), "no such piece");
        assertFalse(picker.requestDuplicate(0, 9, 2), "no such block");
        picker.verify();
    }

    @Test
    void firstWaitingLongIsHalfASecondOfTheRate()
    {
        assertEquals(0, QueuedDuplicates.firstWaitingLong(0));
        assertEquals(4, QueuedDuplicates.firstWaitingLong(8L * BLOCK_LENGTH));
        assertEquals(31, QueuedDuplicates.firstWaitingLong(1_000_000));
    }
}
