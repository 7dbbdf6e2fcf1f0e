package io.spate.picker;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static io.spate.picker.PiecePickerTest.bits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PiecePicker#pickFillingRoom}: a peer with room in its queue that holds only blocks already requested
 * elsewhere takes duplicates of them (each block at most two peers at once), in endgame and before it; fresh blocks
 * always come first, and an idle peer in endgame keeps its licence to take any block.
 */
class PiecePickerFillingRoomTest
{
    private static final PiecePicker.BlockFilter NONE_IN_FLIGHT = (p, b) -> false;

    private final int[] pieces = new int[64];
    private final int[] blocks = new int[64];

    /** Two pieces of two blocks; the first peer takes every block of piece 0. */
    private PiecePicker pieceZeroRequestedElsewhere()
    {
        final PiecePicker picker = new PiecePicker(2, 2 * BLOCK_LENGTH, 4L * BLOCK_LENGTH, 7);
        assertEquals(2, picker.pick(bits(2, 0), false, 8, pieces, blocks, NONE_IN_FLIGHT, 0));
        assertEquals(2, picker.unrequestedBlocks(), "piece 1 is still unrequested: not endgame");
        assertFalse(picker.inEndgame());
        return picker;
    }

    @Test
    void beforeEndgameABusyPeerWithRoomDuplicatesBlocksRequestedElsewhereOnce()
    {
        final PiecePicker picker = pieceZeroRequestedElsewhere();
        assertEquals(0, picker.pick(bits(2, 0), false, 8, pieces, blocks, NONE_IN_FLIGHT, 3),
            "the plain pick leaves a peer holding only requested blocks unasked");
        assertEquals(2, picker.pickFillingRoom(bits(2, 0), false, 8, pieces, blocks, NONE_IN_FLIGHT, 3));
        assertEquals(0, pieces[0]);
        assertEquals(0, pieces[1]);
        assertEquals(Set.of(0, 1), Set.of(blocks[0], blocks[1]));
        assertEquals(2, picker.requesters(0, 0));
        assertEquals(2, picker.requesters(0, 1));
        assertEquals(0, picker.pickFillingRoom(bits(2, 0), false, 8, pieces, blocks, NONE_IN_FLIGHT, 3),
            "never a third requester while the peer is busy");
        assertEquals(0, picker.pickFillingRoom(bits(2, 0), false, 8, pieces, blocks, NONE_IN_FLIGHT, 0),
            "nor before endgame for an idle one");
        assertEquals(2, picker.unrequestedBlocks(), "duplicates change nothing unrequested");
        picker.verify();
    }

    @Test
    void freshBlocksComeFirstAndAreNotDuplicatedInTheSameCall()
    {
        final PiecePicker picker = pieceZeroRequestedElsewhere();
        final int n = picker.pickFillingRoom(null, true, 8, pieces, blocks, NONE_IN_FLIGHT, 1);
        assertEquals(4, n, "two fresh blocks of piece 1, then one duplicate of each block of piece 0");
        assertEquals(1, pieces[0]);
        assertEquals(1, pieces[1]);
        assertEquals(0, pieces[2]);
        assertEquals(0, pieces[3]);
        final Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < n; i++)
        {
            assertTrue(picked.add(pieces[i] * 2 + blocks[i]), "each block once per call");
        }
        assertEquals(1, picker.requesters(1, 0));
        assertEquals(1, picker.requesters(1, 1));
        assertEquals(2, picker.requesters(0, 0));
        assertTrue(picker.inEndgame());
        picker.verify();
    }

    @Test
    void neverABlockThePeerAlreadyHasInFlight()
    {
        final PiecePicker picker = pieceZeroRequestedElsewhere();
        final PiecePicker.BlockFilter hasBlockZero = (p, b) -> p == 0 && b == 0;
        assertEquals(1, picker.pickFillingRoom(bits(2, 0), false, 8, pieces, blocks, hasBlockZero, 1));
        assertEquals(0, pieces[0]);
        assertEquals(1, blocks[0]);
        assertEquals(1, picker.requesters(0, 0));
    }

    @Test
    void inEndgameABusyPeerGetsOneDuplicatePerBlockAndAnIdlePeerAnyBlock()
    {
        final PiecePicker picker = new PiecePicker(1, 3 * BLOCK_LENGTH, 3L * BLOCK_LENGTH, 3);
        assertEquals(3, picker.pickFillingRoom(null, true, 3, pieces, blocks, NONE_IN_FLIGHT, 0));
        assertTrue(picker.inEndgame());
        assertEquals(3, picker.pickFillingRoom(null, true, 8, pieces, blocks, NONE_IN_FLIGHT, 5),
            "a busy peer with room: one duplicate of each block");
        assertEquals(0, picker.pickFillingRoom(null, true, 8, pieces, blocks, NONE_IN_FLIGHT, 5));
        assertEquals(3, picker.pickFillingRoom(null, true, 8, pieces, blocks, NONE_IN_FLIGHT, 0),
            "an idle peer takes over blocks however many peers have them");
        assertEquals(3, picker.requesters(0, 2));
        picker.verify();
    }

    @Test
    void theFirstCopyCountsAndAnAbandonedDuplicateLeavesTheOriginalRequested()
    {
        final PiecePicker picker = pieceZeroRequestedElsewhere();
        assertEquals(2, picker.pickFillingRoom(bits(2, 0), false, 8, pieces, blocks, NONE_IN_FLIGHT, 1));
        assertTrue(picker.blockReceived(0, 0));
        assertFalse(picker.blockReceived(0, 0), "the second copy is a duplicate");
        picker.requestAbandoned(0, 1);
        assertEquals(1, picker.requesters(0, 1), "the other peer's request stands");
        assertEquals(2, picker.unrequestedBlocks());
        picker.verify();
    }

    @Test
    void onlyFromPiecesThePeerHas()
    {
        final PiecePicker picker = pieceZeroRequestedElsewhere();
        assertEquals(2, picker.pickFillingRoom(bits(2, 1), false, 8, pieces, blocks, NONE_IN_FLIGHT, 1));
        assertEquals(1, pieces[0]);
        assertEquals(1, pieces[1]);
        assertEquals(0, picker.pickFillingRoom(bits(2, 1), false, 8, pieces, blocks, (p, b) -> p == 1, 2),
            "piece 1's blocks are its own, and piece 0 it lacks");
    }
}
