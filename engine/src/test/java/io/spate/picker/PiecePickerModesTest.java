package io.spate.picker;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * In-order picking (streaming), picking a given piece (a web seed's long ranges) and the count of pieces no peer holds
 * (a seed's "one whole copy is out").
 */
class PiecePickerModesTest
{
    private final int[] pieces = new int[1024];
    private final int[] blocks = new int[1024];

    private static Bitfield bits(final int size, final int... set)
    {
        return PiecePickerTest.bits(size, set);
    }

    @Test
    void inOrderStartsTheLowestPiecesThePeerHasEvenWhenOthersAreRarer()
    {
        final int n = 200; // spans four 64-bit words
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, 7);
        picker.inOrder(true);
        final Bitfield common = new Bitfield(n);
        common.setAll();
        for (int i = 0; i < 5; i++)
        {
            picker.peerHasBitfield(common); // every piece on five peers ...
        }
        picker.peerHasPiece(150);           // ... and 150 on a sixth: rarest first would never start with 3
        picker.markHave(0);
        picker.markHave(1);
        final Bitfield peer = bits(n, 1, 3, 70, 64, 150, 199);
        assertEquals(4, picker.pick(peer, false, 4, pieces, blocks, null));
        assertArrayEquals(new int[] {3, 64, 70, 150}, Arrays.copyOf(pieces, 4));
        assertEquals(2, picker.pick(null, true, 2, pieces, blocks, null));
        assertArrayEquals(new int[] {2, 4}, Arrays.copyOf(pieces, 2), "a seed offers every piece: the lowest ones");
    }

    @Test
    void rarestFirstByDefaultTakesTheRarePieceFirst()
    {
        final int n = 64;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, 7);
        for (int i = 0; i < PiecePicker.RANDOM_FIRST_PIECES; i++)
        {
            picker.markHave(i);
        }
        final Bitfield everything = new Bitfield(n);
        everything.setAll();
        picker.peerHasBitfield(everything);
        picker.peerHasBitfield(bits(n, 5, 6));
        final Bitfield peer = bits(n, 5, 6, 40);
        assertEquals(1, picker.pick(peer, false, 1, pieces, blocks, null));
        assertEquals(40, pieces[0], "40 is on one peer, 5 and 6 on two");
    }

    @Test
    void peersHoldEveryPieceOnceEachIsAnnouncedAndNotAfterOneLeaves()
    {
        final int n = 130;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, 1);
        assertFalse(picker.peersHoldEveryPiece());
        final Bitfield half = new Bitfield(n);
        for (int i = 0; i < n / 2; i++)
        {
            half.set(i);
        }
        picker.peerHasBitfield(half);
        for (int i = n / 2; i < n - 1; i++)
        {
            picker.peerHasPiece(i);
        }
        assertFalse(picker.peersHoldEveryPiece(), "piece 129 is on no peer");
        picker.peerHasPiece(n - 1);
        assertTrue(picker.peersHoldEveryPiece());
        picker.peerHasPiece(7); // a second copy of 7: leaving with the half below still leaves none of 0..64
        picker.peerLeft(half);
        assertFalse(picker.peersHoldEveryPiece());
        picker.peerHasAll();
        assertTrue(picker.peersHoldEveryPiece(), "a seed among the peers holds everything");
        picker.peerLeftHadAll();
        assertFalse(picker.peersHoldEveryPiece());
    }

    @Test
    void pickPieceStartsAFreshPieceOrTakesWhatAStartedOneStillMisses()
    {
        final int n = 8;
        final PiecePicker picker = new PiecePicker(n, 4 * BLOCK_LENGTH, (long)n * 4 * BLOCK_LENGTH - 100, 7);
        assertEquals(4, picker.pickPiece(5, 64, pieces, blocks));
        assertArrayEquals(new int[] {5, 5, 5, 5}, Arrays.copyOf(pieces, 4));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Arrays.copyOf(blocks, 4));
        assertTrue(picker.isStarted(5));
        assertEquals(0, picker.pickPiece(5, 64, pieces, blocks), "every block already requested");
        picker.requestAbandoned(5, 2);
        assertEquals(1, picker.pickPiece(5, 64, pieces, blocks));
        assertEquals(2, blocks[0]);
        assertEquals(2, picker.pickPiece(7, 2, pieces, blocks), "at most max");
        assertEquals(2, picker.pickPiece(7, 64, pieces, blocks), "the short last piece's other two blocks");
        assertArrayEquals(new int[] {2, 3}, Arrays.copyOf(blocks, 2));
        picker.markHave(6);
        assertEquals(0, picker.pickPiece(6, 64, pieces, blocks), "a piece we have");
        assertEquals(0, picker.pickPiece(-1, 64, pieces, blocks));
        assertEquals(0, picker.pickPiece(n, 64, pieces, blocks));
        picker.verify();
    }
}
