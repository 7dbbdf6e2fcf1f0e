package io.spate.picker;

import static io.spate.picker.PiecePicker.BLOCK_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Random swarms driven against the picker: what it hands out, and that every download completes. */
class PiecePickerPropertyTest
{
    private static final int MAX_STEPS = 200_000;

    /** One simulated peer: its pieces and the requests it holds for us. */
    private static final class SimPeer
    {
        final Bitfield bits;
        final boolean seed;
        final Set<Long> outstanding = new LinkedHashSet<>();

        SimPeer(final Bitfield bits, final boolean seed)
        {
            this.bits = bits;
            this.seed = seed;
        }
    }

    private static final class Swarm
    {
        final Random random;
        final PiecePicker picker;
        final List<SimPeer> peers = new ArrayList<>();
        final Map<Long, Integer> requestsOutsideEndgame = new HashMap<>();
        final int[] pieces = new int[64];
        final int[] blocks = new int[64];

        Swarm(final long seed, final int pieceCount, final int blocksPerPiece, final int peerCount)
        {
            random = new Random(seed);
            final int pieceLength = blocksPerPiece * BLOCK_LENGTH - (random.nextBoolean() ? 0 : random.nextInt(
                BLOCK_LENGTH));
            final long total = (long)(pieceCount - 1) * pieceLength + 1 + random.nextInt(pieceLength);
            picker = new PiecePicker(pieceCount, pieceLength, total, seed);
            final Bitfield union = new Bitfield(pieceCount);
            for (int i = 0; i < peerCount; i++)
            {
                final boolean seedPeer = random.nextInt(4) == 0;
                final Bitfield bits = new Bitfield(pieceCount);
                final int density = random.nextInt(101);
                for (int p = 0; p < pieceCount; p++)
                {
                    if (seedPeer || random.nextInt(100) < density)
                    {
                        bits.set(p);
                    }
                }
                addPeer(bits, seedPeer);
                for (int p = bits.nextSetBit(0); p >= 0; p = bits.nextSetBit(p + 1))
                {
                    union.set(p);
                }
            }
            if (!union.isComplete())
            {
                final Bitfield rest = new Bitfield(pieceCount);
                for (int p = 0; p < pieceCount; p++)
                {
                    if (!union.get(p))
                    {
                        rest.set(p);
                    }
                }
                addPeer(rest, false);
            }
            // a resumed download holds some pieces already
            if (random.nextBoolean())
            {
                for (int p = 0; p < pieceCount; p++)
                {
                    if (random.nextInt(10) == 0)
                    {
                        picker.markHave(p);
                    }
                }
            }
        }

        private void addPeer(final Bitfield bits, final boolean seedPeer)
        {
            peers.add(new SimPeer(bits, seedPeer));
            if (seedPeer)
            {
                picker.peerHasAll();
            }
            else
            {
                picker.peerHasBitfield(bits);
            }
        }

        void pickFor(final SimPeer peer)
        {
            final boolean endgame = picker.inEndgame();
            final Bitfield bits = peer.seed && random.nextBoolean() ? null : peer.bits;
            final int max = 1 + random.nextInt(pieces.length);
            final PiecePicker.BlockFilter filter = (p, b) -> peer.outstanding.contains(key(p, b));
            final int style = random.nextInt(3); // endgame: plain, idle restraint with a busy or an idle peer
            final int inFlight = style == 1 ? peer.outstanding.size() : 0;
            final int got = style == 0 ? picker.pick(bits, peer.seed, max, pieces, blocks, filter) :
                picker.pick(bits, peer.seed, max, pieces, blocks, filter, inFlight);
            if (endgame && inFlight > 0)
            {
                assertEquals(0, got, "no endgame duplicates for a busy peer");
            }
            if (endgame && style == 0)
            {
                for (int i = 0; i < got; i++)
                {
                    assertEquals(PiecePicker.ENDGAME_REQUESTERS_ANY_PEER, picker.requesters(pieces[i], blocks[i]),
                        "at most one duplicate per block without the idle restraint");
                }
            }
            for (int i = 0; i < got; i++)
            {
                final long key = key(pieces[i], blocks[i]);
                assertTrue(peer.bits.get(pieces[i]), "picked piece " + pieces[i] + " the peer lacks");
                assertFalse(picker.have(pieces[i]), "picked piece " + pieces[i] + " we have");
                assertTrue(blocks[i] >= 0 && blocks[i] < picker.blocksInPiece(pieces[i]));
                assertTrue(peer.outstanding.add(key), "block picked twice for one peer " + pieces[i] + "/" + blocks[i]);
                if (!endgame)
                {
                    for (final SimPeer other : peers)
                    {
                        assertTrue(other == peer || !other.outstanding.contains(key),
                            "block outstanding at two peers outside endgame");
                    }
                    requestsOutsideEndgame.merge(key, 1, Integer::sum);
                }
            }
        }

        /** The peer answers some of its requests; whole pieces are verified (or, if allowed, sometimes fail). */
        void deliverFrom(final SimPeer peer, final boolean mayFail)
        {
            final int n = 1 + random.nextInt(4);
            for (int i = 0; i < n && !peer.outstanding.isEmpty(); i++)
            {
                final long key = peer.outstanding.iterator().next();
                peer.outstanding.remove(key);
                final int piece = (int)(key >>> 32);
                final int block = (int)key;
                final boolean wanted = picker.isStarted(piece) && picker.requesters(piece, block) >= 0;
                final boolean fresh = picker.blockReceived(piece, block);
                assertEquals(wanted, fresh, "new exactly when started and not yet received");
                if (fresh)
                {
                    for (final SimPeer other : peers)
                    {
                        if (other != peer && other.outstanding.contains(key) && random.nextBoolean())
                        {
                            other.outstanding.remove(key); // CANCEL sent
                            picker.requestAbandoned(piece, block);
                        }
                    }
                    if (picker.pieceWhole(piece))
                    {
                        if (mayFail && random.nextInt(8) == 0)
                        {
                            picker.pieceFailed(piece);
                            for (final SimPeer other : peers)
                            {
                                other.outstanding.removeIf(k -> (int)(k >>> 32) == piece);
                            }
                        }
                        else
                        {
                            picker.pieceVerified(piece);
                        }
                    }
                }
            }
        }

        void chokeAll(final SimPeer peer)
        {
            for (final long key : peer.outstanding)
            {
                picker.requestAbandoned((int)(key >>> 32), (int)key);
            }
            peer.outstanding.clear();
        }
    }

    @Property(tries = 200)
    void everyBlockRequestedOnceOutsideEndgameAndComplete(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 150) final int pieceCount,
        @ForAll @IntRange(min = 1, max = 5) final int blocksPerPiece,
        @ForAll @IntRange(min = 1, max = 6) final int peerCount)
    {
        final Swarm swarm = new Swarm(seed, pieceCount, blocksPerPiece, peerCount);
        final PiecePicker picker = swarm.picker;
        final Bitfield hadAtStart = new Bitfield(pieceCount);
        hadAtStart.copyFrom(picker.haveBitfield());
        int steps = 0;
        while (!picker.isComplete() && steps++ < MAX_STEPS)
        {
            final SimPeer peer = swarm.peers.get(swarm.random.nextInt(swarm.peers.size()));
            if (swarm.random.nextBoolean())
            {
                swarm.pickFor(peer);
            }
            else
            {
                swarm.deliverFrom(peer, false);
            }
            if (steps % 16 == 0)
            {
                picker.verify();
            }
        }
        assertTrue(picker.isComplete(), "complete after " + steps + " steps");
        assertEquals(0, picker.missingPieces());
        for (int p = 0; p < pieceCount; p++)
        {
            for (int b = 0; b < picker.blocksInPiece(p); b++)
            {
                final Integer times = swarm.requestsOutsideEndgame.get(key(p, b));
                assertEquals(hadAtStart.get(p) ? null : Integer.valueOf(1), times, "block " + p + "/" + b);
            }
        }
        picker.verify();
    }

    @Property(tries = 200)
    void completesDespiteChokesAndHashFailures(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 150) final int pieceCount,
        @ForAll @IntRange(min = 1, max = 5) final int blocksPerPiece,
        @ForAll @IntRange(min = 1, max = 6) final int peerCount)
    {
        final Swarm swarm = new Swarm(seed, pieceCount, blocksPerPiece, peerCount);
        final PiecePicker picker = swarm.picker;
        int steps = 0;
        while (!picker.isComplete() && steps++ < MAX_STEPS)
        {
            final SimPeer peer = swarm.peers.get(swarm.random.nextInt(swarm.peers.size()));
            final int action = swarm.random.nextInt(10);
            if (action < 5)
            {
                swarm.pickFor(peer);
            }
            else if (action < 9)
            {
                swarm.deliverFrom(peer, true);
            }
            else
            {
                swarm.chokeAll(peer);
            }
            if (steps % 16 == 0)
            {
                picker.verify();
            }
        }
        assertTrue(picker.isComplete(), "complete after " + steps + " steps");
        picker.verify();
    }

    @Property(tries = 100)
    void orderInvariantsHoldUnderAvailabilityChurn(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int pieceCount)
    {
        final Random random = new Random(seed);
        final PiecePicker picker = new PiecePicker(pieceCount, BLOCK_LENGTH, (long)pieceCount * BLOCK_LENGTH, seed);
        final int[] expected = new int[pieceCount];
        final int[] haves = new int[pieceCount];
        final List<Bitfield> joined = new ArrayList<>();
        final int[] pieces = new int[8];
        final int[] blocks = new int[8];
        for (int step = 0; step < 400; step++)
        {
            final int action = random.nextInt(6);
            final int piece = random.nextInt(pieceCount);
            if (action == 0)
            {
                picker.peerHasPiece(piece);
                expected[piece]++;
                haves[piece]++;
            }
            else if (action == 1 && haves[piece] > 0)
            {
                picker.peerLostPiece(piece);
                expected[piece]--;
                haves[piece]--;
            }
            else if (action == 2)
            {
                final Bitfield bits = new Bitfield(pieceCount);
                for (int p = 0; p < pieceCount; p++)
                {
                    if (random.nextBoolean())
                    {
                        bits.set(p);
                        expected[p]++;
                    }
                }
                picker.peerHasBitfield(bits);
                joined.add(bits);
            }
            else if (action == 3 && !joined.isEmpty())
            {
                final Bitfield bits = joined.remove(random.nextInt(joined.size()));
                picker.peerLeft(bits);
                for (int p = bits.nextSetBit(0); p >= 0; p = bits.nextSetBit(p + 1))
                {
                    expected[p]--;
                }
            }
            else if (action == 4)
            {
                final int got = picker.pick(null, true, 1 + random.nextInt(8), pieces, blocks, null);
                for (int i = 0; i < got; i++)
                {
                    if (random.nextBoolean())
                    {
                        picker.requestAbandoned(pieces[i], blocks[i]);
                    }
                    else if (picker.blockReceived(pieces[i], blocks[i]) && picker.pieceWhole(pieces[i]))
                    {
                        picker.pieceVerified(pieces[i]);
                    }
                }
            }
            picker.verify();
            for (int p = 0; p < pieceCount; p++)
            {
                assertEquals(expected[p], picker.availability(p), "piece " + p);
            }
        }
    }

    private static long key(final int piece, final int block)
    {
        return ((long)piece << 32) | block;
    }
}
