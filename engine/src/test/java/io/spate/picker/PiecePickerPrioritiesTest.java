package io.spate.picker;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Piece priorities: 0 skips a piece (never picked, not counted), higher priorities start first, rarest within. */
class PiecePickerPrioritiesTest
{
    private static final int PIECE = 2 * BLOCK_LENGTH;
    private final int[] pieces = new int[1024];
    private final int[] blocks = new int[1024];

    private static PiecePicker picker(final int count)
    {
        return new PiecePicker(count, PIECE, (long)count * PIECE, 7);
    }

    private static byte[] priorities(final int... values)
    {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            b[i] = (byte)values[i];
        }
        return b;
    }

    /** Picks everything a seed offers, marking each piece had as soon as its blocks are picked; the pick order. */
    private List<Integer> drain(final PiecePicker picker, final int perCall)
    {
        final List<Integer> order = new ArrayList<>();
        for (int round = 0; round < 1000; round++)
        {
            final int n = picker.pick(null, true, perCall, pieces, blocks, (p, b) -> false, 0);
            if (n == 0)
            {
                break;
            }
            for (int i = 0; i < n; i++)
            {
                if (!order.contains(pieces[i]))
                {
                    order.add(pieces[i]);
                }
                picker.blockReceived(pieces[i], blocks[i]);
                if (picker.pieceWhole(pieces[i]))
                {
                    picker.pieceVerified(pieces[i]);
                }
            }
            picker.verify();
        }
        return order;
    }

    @Test
    void skippedPiecesAreNeverPickedAndTheTorrentFinishesWithoutThem()
    {
        final PiecePicker picker = picker(6);
        picker.priorities(priorities(4, 0, 4, 0, 0, 4));
        picker.verify();
        assertEquals(3, picker.missingPieces());
        assertEquals(6, picker.unrequestedBlocks());

        final List<Integer> picked = drain(picker, 3);

        assertEquals(List.of(0, 2, 5), picked.stream().sorted().toList());
        assertTrue(picker.isFinished());
        assertFalse(picker.isComplete());
        assertFalse(picker.inEndgame());
        assertEquals(0, picker.pick(null, true, 10, pieces, blocks, (p, b) -> false, 0));
    }

    @Test
    void aPeerWithOnlySkippedPiecesIsNotInteresting()
    {
        final PiecePicker picker = picker(4);
        picker.priorities(priorities(1, 0, 0, 1));
        final Bitfield onlySkipped = PiecePickerTest.bits(4, 1, 2);
        assertFalse(picker.isInteresting(onlySkipped));
        assertEquals(0, picker.pick(onlySkipped, false, 10, pieces, blocks, (p, b) -> false, 0));
        assertTrue(picker.isInteresting(PiecePickerTest.bits(4, 2, 3)));
    }

    @Test
    void higherPrioritiesStartFirstAndRarestFirstWithinOne()
    {
        final PiecePicker picker = picker(8);
        // pieces 4..7 at 7; 0..3 at 1. Piece 0 is the rarest of all, piece 6 the rarest of the high ones.
        picker.priorities(priorities(1, 1, 1, 1, 7, 7, 7, 7));
        for (int piece = 1; piece < 8; piece++)
        {
            for (int copies = 0; copies < (piece == 6 ? 1 : 3); copies++)
            {
                picker.peerHasPiece(piece);
            }
        }
        for (int had = 0; had < PiecePicker.RANDOM_FIRST_PIECES; had++)
        {
            picker.peerHasPiece(0); // every piece known: no random first picks either way
        }
        final List<Integer> order = drain(picker, 2);
        assertEquals(6, order.get(0), "the rarest piece of the highest priority first: " + order);
        assertEquals(List.of(4, 5, 6, 7), order.subList(0, 4).stream().sorted().toList(), order.toString());
        assertEquals(List.of(0, 1, 2, 3), order.subList(4, 8).stream().sorted().toList(), order.toString());
        assertTrue(picker.isComplete());
    }

    @Test
    void inOrderModeKeepsIndexOrderWithinEachPriority()
    {
        final PiecePicker picker = picker(6);
        picker.inOrder(true);
        picker.priorities(priorities(2, 2, 0, 6, 6, 2));
        assertEquals(List.of(3, 4, 0, 1, 5), drain(picker, 2));
    }

    @Test
    void aSkippedPieceWantedAgainIsPickedAndAStartedOneSkippedIsLeftAlone()
    {
        final PiecePicker picker = picker(3);
        // piece 1 started (one of two blocks requested), then skipped
        picker.pickPiece(1, 1, pieces, blocks);
        picker.priorities(priorities(4, 0, 0));
        picker.verify();
        assertEquals(2, picker.unrequestedBlocks());
        assertEquals(List.of(0), drain(picker, 4));
        assertTrue(picker.isFinished());
        // its request goes unanswered: nothing comes back into play
        picker.requestAbandoned(1, 0);
        picker.verify();
        assertEquals(0, picker.unrequestedBlocks());

        picker.priorities(priorities(4, 5, 1));
        picker.verify();
        assertFalse(picker.isFinished());
        assertEquals(2, picker.missingPieces());
        assertEquals(List.of(1, 2), drain(picker, 4));
        assertTrue(picker.isComplete());
    }
}
