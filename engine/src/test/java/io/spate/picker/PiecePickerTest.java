package io.spate.picker;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PiecePickerTest
{
    private final int[] pieces = new int[1024];
    private final int[] blocks = new int[1024];

    static Bitfield bits(final int size, final int... set)
    {
        final Bitfield b = new Bitfield(size);
        for (final int i : set)
        {
            b.set(i);
        }
        return b;
    }

    private static Bitfield all(final int size)
    {
        final Bitfield b = new Bitfield(size);
        b.setAll();
        return b;
    }

    // ---- lengths ------------------------------------------------------------------------------------------------

    @Test
    void shortLastPieceEndingMidBlock()
    {
        final int pieceLength = 4 * BLOCK_LENGTH;
        final long total = 3L * pieceLength + BLOCK_LENGTH + 3616;
        final PiecePicker picker = new PiecePicker(4, pieceLength, total, 1);
        assertEquals(4, picker.blocksInPiece(0));
        assertEquals(2, picker.blocksInPiece(3));
        assertEquals(BLOCK_LENGTH, picker.blockLength(0, 3));
        assertEquals(BLOCK_LENGTH, picker.blockLength(3, 0));
        assertEquals(3616, picker.blockLength(3, 1));
        assertEquals(BLOCK_LENGTH + 3616, picker.pieceLength(3));
        assertEquals(14, picker.unrequestedBlocks());
    }

    @Test
    void lengthsOfAHugeTorrentAndOfOneThatEndsOnAPieceBoundary()
    {
        final int big = 16 << 20;
        final PiecePicker huge = new PiecePicker(40_000, big, 39_999L * big + 1, 1); // 640 GiB, a 1-byte last piece
        assertEquals(big, huge.pieceLength(0));
        assertEquals(big, huge.pieceLength(39_998));
        assertEquals(1, huge.pieceLength(39_999));
        assertEquals(1024, huge.blocksInPiece(39_998));
        assertEquals(1, huge.blocksInPiece(39_999));
        assertEquals(1, huge.blockLength(39_999, 0));

        final PiecePicker exact = new PiecePicker(3, 2 * BLOCK_LENGTH, 6L * BLOCK_LENGTH, 1);
        assertEquals(2 * BLOCK_LENGTH, exact.pieceLength(2));
        assertEquals(2, exact.blocksInPiece(2));
        assertEquals(BLOCK_LENGTH, exact.blockLength(2, 1));
    }

    @Test
    void pieceLengthNotAMultipleOfTheBlockLength()
    {
        final int pieceLength = BLOCK_LENGTH + 100;
        final PiecePicker picker = new PiecePicker(3, pieceLength, 2L * pieceLength + 50, 1);
        assertEquals(2, picker.blocksInPiece(0));
        assertEquals(100, picker.blockLength(1, 1));
        assertEquals(1, picker.blocksInPiece(2));
        assertEquals(50, picker.blockLength(2, 0));
    }

    @Test
    void singleShortPieceAndEmptyTorrent()
    {
        final PiecePicker one = new PiecePicker(1, 1 << 20, 10, 1);
        assertEquals(1, one.blocksInPiece(0));
        assertEquals(10, one.blockLength(0, 0));
        assertEquals(1, one.pick(null, true, 10, pieces, blocks, null));
        assertEquals(0, pieces[0]);

        final PiecePicker empty = new PiecePicker(0, 1 << 20, 0, 1);
        assertTrue(empty.isComplete());
        assertFalse(empty.inEndgame());
        assertEquals(0, empty.pick(null, true, 10, pieces, blocks, null));
    }

    @Test
    void rejectsPieceCountThatDoesNotCoverTheLength()
    {
        assertThrows(IllegalArgumentException.class, () -> new PiecePicker(3, BLOCK_LENGTH, 3L * BLOCK_LENGTH + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PiecePicker(5, BLOCK_LENGTH, 3L * BLOCK_LENGTH, 1));
        assertThrows(IllegalArgumentException.class, () -> new PiecePicker(1, 0, 1, 1));
    }

    // ---- ordering -----------------------------------------------------------------------------------------------

    @Test
    void rarestFirstAgainstHandComputedAvailability()
    {
        final int n = 10;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, 42);
        for (int p = 0; p < 4; p++)
        {
            picker.markHave(p); // past the random-first phase
        }
        final Bitfield a = bits(n, 4, 5, 6, 7, 8, 9);
        final Bitfield b = bits(n, 5, 6, 7, 8, 9);
        final Bitfield c = bits(n, 6, 7, 9);
        picker.peerHasBitfield(a);
        picker.peerHasBitfield(b);
        picker.peerHasBitfield(c);
        picker.peerHasPiece(9);
        picker.peerHasAll();
        // by hand: 4 -> a = 1, 5 -> a b = 2, 6 -> a b c = 3, 7 -> 3, 8 -> a b = 2, 9 -> a b c + HAVE = 4; plus 1 seed
        final int[] expected = {0, 0, 0, 0, 2, 3, 4, 4, 3, 5};
        for (int p = 4; p < n; p++)
        {
            assertEquals(expected[p], picker.availability(p), "piece " + p);
        }
        final List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
            picked.add(pieces[0]);
        }
        assertEquals(4, picked.get(0));
        assertEquals(Set.of(5, 8), new HashSet<>(picked.subList(1, 3)));
        assertEquals(Set.of(6, 7), new HashSet<>(picked.subList(3, 5)));
        assertEquals(9, picked.get(5));
        picker.verify();
    }

    @Test
    void availabilityChangesReorder()
    {
        final int n = 8;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, 7);
        for (int p = 0; p < 4; p++)
        {
            picker.markHave(p);
        }
        final Bitfield one = all(n);
        final Bitfield two = all(n);
        picker.peerHasBitfield(one);
        picker.peerHasBitfield(two);
        picker.peerLostPiece(6); // 6 now rarest
        picker.peerLeft(two);    // 4, 5, 7 at 1; 6 at 0
        picker.peerHasPiece(4);
        picker.peerHasPiece(5);  // 7 at 1 is next after 6
        picker.verify();
        assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
        assertEquals(6, pieces[0]);
        assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
        assertEquals(7, pieces[0]);
    }

    @Test
    void tiesAreBrokenBySeedDeterministically()
    {
        final int n = 200;
        final List<Integer> first = pickOrder(n, 1);
        assertEquals(first, pickOrder(n, 1), "same seed, same order");
        assertNotEquals(first, pickOrder(n, 2), "another seed, another order");
        final List<Integer> sequential = new ArrayList<>();
        for (int p = 4; p < n; p++)
        {
            sequential.add(p);
        }
        assertNotEquals(sequential, first, "ties are not broken by index");
    }

    private List<Integer> pickOrder(final int n, final long seed)
    {
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, seed);
        for (int p = 0; p < 4; p++)
        {
            picker.markHave(p);
        }
        picker.peerHasBitfield(all(n));
        final List<Integer> order = new ArrayList<>();
        int got;
        while ((got = picker.pick(null, true, 1, pieces, blocks, null)) > 0)
        {
            assertEquals(1, got);
            order.add(pieces[0]);
        }
        return order;
    }

    @Test
    void randomFirstPiecesIgnoreRarity()
    {
        final int n = 64;
        final Set<Integer> firstPicks = new HashSet<>();
        for (long seed = 0; seed < 40; seed++)
        {
            final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, seed);
            picker.peerHasBitfield(all(n));
            picker.peerHasBitfield(bits(n, rangeExcept(n, 0)));  // piece 0 is the rarest
            assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
            firstPicks.add(pieces[0]);
        }
        assertTrue(firstPicks.size() > 10, "random, not rarest: " + firstPicks);

        // and once 4 pieces are had, rarest first takes over
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, 3);
        picker.peerHasBitfield(all(n));
        picker.peerHasBitfield(bits(n, rangeExcept(n, 0)));
        for (int i = 0; i < 4; i++)
        {
            assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
            assertTrue(picker.blockReceived(pieces[0], 0));
            picker.pieceVerified(pieces[0]);
        }
        if (!picker.have(0))
        {
            assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
            assertEquals(0, pieces[0]);
        }
    }

    private static int[] rangeExcept(final int n, final int except)
    {
        final int[] r = new int[n - 1];
        for (int i = 0, j = 0; i < n; i++)
        {
            if (i != except)
            {
                r[j++] = i;
            }
        }
        return r;
    }

    @Test
    void randomFirstPiecesOnlyFromWhatThePeerHas()
    {
        final int n = 300;
        for (long seed = 0; seed < 20; seed++)
        {
            final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH, seed);
            final Bitfield peer = bits(n, 7, 150, 299);
            picker.peerHasBitfield(peer);
            final int got = picker.pick(peer, false, 10, pieces, blocks, null);
            assertEquals(3, got);
            assertEquals(Set.of(7, 150, 299), Set.of(pieces[0], pieces[1], pieces[2]));
        }
    }

    @Test
    void neverPicksWhatThePeerLacksOrWeHave()
    {
        final int n = 100;
        final PiecePicker picker = new PiecePicker(n, 2 * BLOCK_LENGTH, (long)n * 2 * BLOCK_LENGTH, 5);
        final Bitfield peer = new Bitfield(n);
        for (int p = 0; p < n; p += 3)
        {
            peer.set(p);
        }
        for (int p = 0; p < n; p += 2)
        {
            picker.markHave(p);
        }
        picker.peerHasBitfield(peer);
        picker.peerHasAll(); // a seed elsewhere must not make us pick what this peer lacks
        final int got = picker.pick(peer, false, 1000, pieces, blocks, null);
        int expected = 0;
        for (int p = 0; p < n; p++)
        {
            expected += (p % 3 == 0 && p % 2 != 0) ? 2 : 0;
        }
        assertEquals(expected, got);
        for (int i = 0; i < got; i++)
        {
            assertTrue(peer.get(pieces[i]), "peer has " + pieces[i]);
            assertFalse(picker.have(pieces[i]), "we lack " + pieces[i]);
        }
        assertEquals(0, picker.pick(peer, false, 1000, pieces, blocks, null));
        picker.verify();
    }

    @Test
    void startedPiecesAreFinishedFirst()
    {
        final int n = 50;
        final PiecePicker picker = new PiecePicker(n, 8 * BLOCK_LENGTH, (long)n * 8 * BLOCK_LENGTH, 11);
        for (int p = 0; p < 4; p++)
        {
            picker.markHave(p);
        }
        final Bitfield a = all(n);
        picker.peerHasBitfield(a);
        assertEquals(3, picker.pick(a, false, 3, pieces, blocks, null));
        final int startedPiece = pieces[0];
        assertTrue(picker.isStarted(startedPiece));
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(blocks, 3));

        final Bitfield b = all(n);
        picker.peerHasBitfield(b);
        picker.peerHasPiece(startedPiece); // now the most common piece: still finished first
        assertEquals(7, picker.pick(b, false, 7, pieces, blocks, null));
        for (int i = 0; i < 5; i++)
        {
            assertEquals(startedPiece, pieces[i]);
            assertEquals(3 + i, blocks[i]);
        }
        assertNotEquals(startedPiece, pieces[5]);
        assertEquals(pieces[5], pieces[6]);
    }

    @Test
    void startedPieceThePeerLacksIsSkipped()
    {
        final int n = 10;
        final PiecePicker picker = new PiecePicker(n, 2 * BLOCK_LENGTH, (long)n * 2 * BLOCK_LENGTH, 1);
        final Bitfield a = bits(n, 0);
        final Bitfield b = bits(n, 1);
        assertEquals(1, picker.pick(a, false, 1, pieces, blocks, null));
        assertEquals(0, pieces[0]);
        assertEquals(2, picker.pick(b, false, 5, pieces, blocks, null));
        assertEquals(1, pieces[0]);
        assertEquals(1, pieces[1]);
    }

    // ---- endgame ------------------------------------------------------------------------------------------------

    @Test
    void endgameStartsExactlyWhenEveryMissingBlockIsRequested()
    {
        final int n = 6;
        final PiecePicker picker = new PiecePicker(n, 2 * BLOCK_LENGTH, (long)n * 2 * BLOCK_LENGTH, 3);
        for (int p = 0; p < 4; p++)
        {
            picker.markHave(p);
        }
        final Set<Long> byA = new HashSet<>();
        final PiecePicker.BlockFilter filterA = (p, b) -> byA.contains(key(p, b));
        for (int i = 0; i < 4; i++)
        {
            assertFalse(picker.inEndgame(), "before pick " + i);
            assertEquals(1, picker.pick(null, true, 1, pieces, blocks, filterA));
            byA.add(key(pieces[0], blocks[0]));
        }
        assertTrue(picker.inEndgame());
        assertEquals(0, picker.pick(null, true, 10, pieces, blocks, filterA), "never twice to the same peer");

        final Set<Long> byB = new HashSet<>();
        final PiecePicker.BlockFilter filterB = (p, b) -> byB.contains(key(p, b));
        assertEquals(4, picker.pick(null, true, 10, pieces, blocks, filterB), "duplicates to a second peer");
        for (int i = 0; i < 4; i++)
        {
            assertTrue(byB.add(key(pieces[i], blocks[i])), "each block once");
            assertEquals(2, picker.requesters(pieces[i], blocks[i]));
        }
        assertEquals(byA, byB);
        assertEquals(0, picker.pick(null, true, 10, pieces, blocks, filterB));
        assertEquals(0, picker.pick(null, true, 10, pieces, blocks, null), "no filter, no duplicates");

        // the first copy wins, the second is a duplicate
        assertTrue(picker.blockReceived(4, 0));
        assertFalse(picker.blockReceived(4, 0));
        assertTrue(picker.blockReceived(4, 1));
        assertTrue(picker.pieceWhole(4));
        picker.pieceVerified(4);
        assertFalse(picker.blockReceived(4, 1), "a piece we have");
        picker.requestAbandoned(4, 1); // stale cancel: ignored
        assertTrue(picker.inEndgame());
        picker.verify();
    }

    @Test
    void endgamePrefersTheLeastDuplicatedBlocks()
    {
        final PiecePicker picker = new PiecePicker(1, 3 * BLOCK_LENGTH, 3L * BLOCK_LENGTH, 3);
        final PiecePicker.BlockFilter none = (p, b) -> false;
        assertEquals(3, picker.pick(null, true, 3, pieces, blocks, none, 0));
        assertEquals(1, picker.pick(null, true, 1, pieces, blocks, none, 0));
        final int twice = blocks[0];
        assertEquals(3, picker.pick(null, true, 5, pieces, blocks, none, 0));
        assertFalse(blocks[0] == twice || blocks[1] == twice, "the blocks with one requester first");
        assertEquals(twice, blocks[2]);
        assertEquals(3, picker.requesters(0, twice));
    }

    @Test
    void endgameWithoutTheIdleRestraintDuplicatesEachBlockOnce()
    {
        final PiecePicker picker = new PiecePicker(1, 3 * BLOCK_LENGTH, 3L * BLOCK_LENGTH, 3);
        final PiecePicker.BlockFilter none = (p, b) -> false;
        assertEquals(3, picker.pick(null, true, 3, pieces, blocks, none));
        assertEquals(3, picker.pick(null, true, 5, pieces, blocks, none), "one duplicate of each block");
        assertEquals(0, picker.pick(null, true, 5, pieces, blocks, none), "never a third requester");
        picker.requestAbandoned(0, 1);
        assertEquals(1, picker.pick(null, true, 5, pieces, blocks, none));
        assertEquals(1, blocks[0]);
    }

    @Test
    void endgameDuplicatesOnlyForAnIdlePeerWhenTold()
    {
        final PiecePicker picker = new PiecePicker(1, 3 * BLOCK_LENGTH, 3L * BLOCK_LENGTH, 3);
        assertEquals(3, picker.pick(null, true, 3, pieces, blocks, (p, b) -> false, 0));
        assertTrue(picker.inEndgame());
        assertEquals(0, picker.pick(null, true, 3, pieces, blocks, (p, b) -> false, 1), "busy peer: no duplicates");
        assertEquals(3, picker.pick(null, true, 3, pieces, blocks, (p, b) -> false, 0), "idle peer takes over");
    }

    @Test
    void endgameOnlyFromPiecesThePeerHas()
    {
        final int n = 2;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, 2L * BLOCK_LENGTH, 3);
        assertEquals(2, picker.pick(null, true, 2, pieces, blocks, (p, b) -> false));
        assertTrue(picker.inEndgame());
        final Bitfield onlyOne = bits(n, 1);
        assertEquals(1, picker.pick(onlyOne, false, 2, pieces, blocks, (p, b) -> false));
        assertEquals(1, pieces[0]);
    }

    // ---- outcomes -----------------------------------------------------------------------------------------------

    @Test
    void abandonedRequestsArePickableAgain()
    {
        final int n = 8;
        final PiecePicker picker = new PiecePicker(n, 4 * BLOCK_LENGTH, (long)n * 4 * BLOCK_LENGTH, 9);
        final Bitfield peer = all(n);
        picker.peerHasBitfield(peer);
        assertEquals(4, picker.pick(peer, false, 4, pieces, blocks, null));
        final int piece = pieces[0];
        assertTrue(picker.blockReceived(piece, 0));
        picker.requestAbandoned(piece, 2);
        picker.requestAbandoned(piece, 3);
        assertEquals(0, picker.requesters(piece, 2));
        assertEquals(2, picker.pick(peer, false, 2, pieces, blocks, null));
        assertEquals(piece, pieces[0]);
        assertEquals(2, blocks[0]);
        assertEquals(3, blocks[1]);
        picker.verify();
    }

    @Test
    void pieceWithNothingLeftRequestedGoesBackToTheOrder()
    {
        final int n = 8;
        final PiecePicker picker = new PiecePicker(n, 2 * BLOCK_LENGTH, (long)n * 2 * BLOCK_LENGTH, 9);
        assertEquals(2, picker.pick(null, true, 2, pieces, blocks, null));
        final int piece = pieces[0];
        final long unrequested = picker.unrequestedBlocks();
        picker.requestAbandoned(piece, 0);
        assertTrue(picker.isStarted(piece));
        picker.requestAbandoned(piece, 1);
        assertFalse(picker.isStarted(piece));
        picker.requestAbandoned(piece, 1); // twice: ignored
        assertEquals(unrequested + 2, picker.unrequestedBlocks());
        picker.verify();
    }

    @Test
    void failedPieceIsResetAndFetchedAgain()
    {
        final int n = 4;
        final PiecePicker picker = new PiecePicker(n, 2 * BLOCK_LENGTH, (long)n * 2 * BLOCK_LENGTH, 9);
        final Bitfield peer = bits(n, 2);
        assertEquals(2, picker.pick(peer, false, 10, pieces, blocks, null));
        assertTrue(picker.blockReceived(2, 0));
        assertFalse(picker.pieceWhole(2));
        assertTrue(picker.blockReceived(2, 1));
        assertTrue(picker.pieceWhole(2));
        picker.pieceFailed(2);
        assertFalse(picker.pieceWhole(2));
        assertFalse(picker.have(2));
        assertEquals(0, picker.requesters(2, 0));
        assertEquals(8, picker.unrequestedBlocks());
        assertFalse(picker.blockReceived(2, 0), "a block of a reset piece is not wanted");
        assertEquals(2, picker.pick(peer, false, 10, pieces, blocks, null));
        assertEquals(2, pieces[0]);
        assertEquals(2, pieces[1]);
        picker.verify();
    }

    @Test
    void lateBlockOfAnAbandonedRequestIsStillAccepted()
    {
        final PiecePicker picker = new PiecePicker(2, 2 * BLOCK_LENGTH, 4L * BLOCK_LENGTH, 9);
        assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
        final int piece = pieces[0];
        assertEquals(1, picker.pick(null, true, 1, pieces, blocks, null));
        picker.requestAbandoned(piece, 0); // block 1 still requested: the piece stays started
        assertTrue(picker.blockReceived(piece, 0));
        assertEquals(2, picker.unrequestedBlocks());
        picker.verify();
    }

    @Test
    void resumeMarksHaveAndCompletes()
    {
        final int n = 5;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, 5L * BLOCK_LENGTH - 1, 9);
        for (int p = 0; p < n; p++)
        {
            assertFalse(picker.isComplete());
            picker.markHave(p);
            picker.markHave(p);
        }
        assertTrue(picker.isComplete());
        assertEquals(0, picker.missingPieces());
        assertFalse(picker.inEndgame());
        assertEquals(0, picker.pick(null, true, 10, pieces, blocks, (p, b) -> false));
        assertTrue(picker.haveBitfield().isComplete());
    }

    @Test
    void interestingWhenThePeerHasSomethingWeLack()
    {
        final PiecePicker picker = new PiecePicker(3, BLOCK_LENGTH, 3L * BLOCK_LENGTH, 9);
        final Bitfield peer = bits(3, 1);
        assertTrue(picker.isInteresting(peer));
        picker.markHave(1);
        assertFalse(picker.isInteresting(peer));
    }

    @Test
    void seedsCountedApart()
    {
        final PiecePicker picker = new PiecePicker(3, BLOCK_LENGTH, 3L * BLOCK_LENGTH, 9);
        picker.peerHasAll();
        picker.peerHasAll();
        picker.peerHasPiece(1);
        assertEquals(2, picker.availability(0));
        assertEquals(3, picker.availability(1));
        picker.peerLeftHadAll();
        assertEquals(1, picker.availability(0));
    }

    @Test
    void largeTorrentDownloadsCompletely()
    {
        final int n = 65_536;
        final PiecePicker picker = new PiecePicker(n, BLOCK_LENGTH, (long)n * BLOCK_LENGTH - 1000, 77);
        final java.util.SplittableRandom random = new java.util.SplittableRandom(77);
        final Bitfield[] peers = new Bitfield[40];
        for (int i = 0; i < peers.length; i++)
        {
            peers[i] = new Bitfield(n);
            final int density = 10 + random.nextInt(90);
            for (int p = 0; p < n; p++)
            {
                if (random.nextInt(100) < density || i == peers.length - 1)
                {
                    peers[i].set(p);
                }
            }
            picker.peerHasBitfield(peers[i]);
        }
        int picks = 0;
        while (!picker.isComplete() && picks < 10 * n)
        {
            final Bitfield peer = peers[picks++ % peers.length];
            final int got = picker.pick(peer, false, 64, pieces, blocks, (p, b) -> false);
            for (int i = 0; i < got; i++)
            {
                assertTrue(peer.get(pieces[i]));
                if (picker.blockReceived(pieces[i], blocks[i]) && picker.pieceWhole(pieces[i]))
                {
                    picker.pieceVerified(pieces[i]);
                }
            }
        }
        assertTrue(picker.isComplete());
        assertEquals(0, picker.missingPieces());
        picker.verify();
    }

    private static long key(final int piece, final int block)
    {
        return ((long)piece << 32) | block;
    }
}
