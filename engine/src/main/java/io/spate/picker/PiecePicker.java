package io.spate.picker;

/**
 * Decides which blocks to request next, for one torrent, owned by one agent thread. Pure: no clock, no threads,
 * deterministic for a given seed, and no allocation per call once warmed up.
 *
 * <p>Policy, after libtorrent's piece picker:
 * <ol>
 * <li>Started pieces first: blocks of pieces already partly requested or received are handed out before any new
 * piece is started, oldest started first, so pieces complete (and can be verified and shared) quickly.</li>
 * <li>While we have fewer than {@link #RANDOM_FIRST_PIECES} pieces, new pieces are chosen at random among those
 * the peer has: a complete piece soon, to have something to trade, rather than the rarest one.</li>
 * <li>Then rarest first: the piece the fewest connected peers have, ties broken at random (seeded). Availability
 * lives in {@link PieceOrder}, a bucketed array updated in O(1) per HAVE; peers with every piece are counted once
 * ({@link #peerHasAll()}) since they do not change the order.</li>
 * <li>Endgame: once every block we lack is requested or received, blocks requested from other peers are handed
 * out again (the least-duplicated first), never to a peer that already has the block requested.</li>
 * </ol>
 * A piece is never picked from a peer that lacks it, nor once we have it, nor while its priority is 0 (it touches
 * skipped files only). Priorities (libtorrent's 1..7, {@link #priorities}) rank new pieces before everything but the
 * started ones: every piece of a higher priority is started before one of a lower, rarest first within each; the
 * random first pieces are kept for torrents whose wanted pieces share one priority. "Finished" means every wanted
 * piece is had ({@link #isFinished()}); "complete", every piece.
 *
 * <p>Availability bookkeeping is the caller's: a peer counted with {@link #peerHasAll()} is uncounted with
 * {@link #peerLeftHadAll()} (and sends no HAVE worth counting), a peer counted with {@link #peerHasBitfield} and
 * {@link #peerHasPiece} is uncounted with {@link #peerLeft} of its current bitfield. After {@link #pieceFailed} the
 * caller drops (cancels) its outstanding requests for that piece: late answers to them are refused by
 * {@link #blockReceived} and late {@link #requestAbandoned} calls are ignored until the piece is picked again.
 */
public final class PiecePicker
{
    /** Request size: 16 KiB, what every client sends and accepts. */
    public static final int BLOCK_LENGTH = 16 * 1024;
    /** Below this many pieces had, new pieces are chosen at random (libtorrent's initial_picker_threshold). */
    public static final int RANDOM_FIRST_PIECES = 4;
    /** In endgame without the idle restraint, a block is requested from at most this many peers at once. */
    public static final int ENDGAME_REQUESTERS_ANY_PEER = 2;
    /** libtorrent's default piece priority; a picker whose priorities were never set has it everywhere. */
    public static final int DEFAULT_PRIORITY = 4;
    public static final int MAX_PRIORITY = 7;

    /** Tells whether the peer being picked for already has a block requested; used in endgame. */
    @FunctionalInterface
    public interface BlockFilter
    {
        boolean test(int piece, int block);
    }

    private final int pieceCount;
    private final int pieceLength;
    private final long totalLength;
    private final int lastPieceLength;
    private final int blocksPerPiece;
    private final Bitfield have;
    /** Pieces with a slot in {@link #started}: out of the fresh order, not had. */
    private final Bitfield startedSet;
    private final PieceOrder order;
    private final StartedPieces started;
    private final EndgamePicks endgame;
    /** Pieces of priority 0 are out of the order, never picked, not counted in {@link #unrequestedBlocks}. */
    private final PiecePriorities priorities;
    /** The skipped pieces ({@link #priorities}' set), read on every pick. */
    private final Bitfield skipped;
    private int seeds;
    /** New pieces in index order rather than rarest first (streaming, and the lab's comparison). */
    private boolean inOrder;
    /** Blocks of wanted pieces we lack that are MISSING (neither requested nor received); zero means endgame. */
    private long unrequestedBlocks;

    public PiecePicker(final int pieceCount, final int pieceLength, final long totalLength, final long randomSeed)
    {
        if (pieceLength <= 0 || totalLength < 0 || pieceCount < 0)
        {
            throw new IllegalArgumentException("piece length " + pieceLength + ", total length " + totalLength +
                ", piece count " + pieceCount + " must be positive");
        }
        final long expected = (totalLength + pieceLength - 1) / pieceLength;
        if (expected != pieceCount)
        {
            throw new IllegalArgumentException(pieceCount + " pieces do not cover " + totalLength +
                " bytes in pieces of " + pieceLength + " (expected " + expected + ")");
        }
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.totalLength = totalLength;
        this.lastPieceLength = pieceCount == 0 ? 0 : (int)(totalLength - (long)(pieceCount - 1) * pieceLength);
        this.blocksPerPiece = (pieceLength + BLOCK_LENGTH - 1) / BLOCK_LENGTH;
        this.have = new Bitfield(pieceCount);
        this.startedSet = new Bitfield(pieceCount);
        this.order = new PieceOrder(pieceCount, randomSeed);
        this.started = new StartedPieces(pieceCount, blocksPerPiece, 64);
        this.priorities = new PiecePriorities(pieceCount);
        this.skipped = priorities.skippedSet();
        this.endgame = new EndgamePicks(started, skipped);
        this.unrequestedBlocks =
            pieceCount == 0 ? 0 : (long)(pieceCount - 1) * blocksPerPiece + blocksInPiece(pieceCount - 1);
    }

    public int pieceCount()
    {
        return pieceCount;
    }

    public int pieceLength(final int piece)
    {
        // No branch on "is it the last piece": C2 would compile the never-taken side as a trap, and the first time
        // the last piece came up mid-transfer every hot method inlining this one would be thrown away and compiled
        // again. Math.min(int, int) is a conditional move: notLast is 1 for every piece but the last, 0 for it.
        final int notLast = Math.min(pieceCount - 1 - piece, 1);
        return lastPieceLength + notLast * (pieceLength - lastPieceLength);
    }

    public long totalLength()
    {
        return totalLength;
    }

    public int blocksInPiece(final int piece)
    {
        return (pieceLength(piece) + BLOCK_LENGTH - 1) / BLOCK_LENGTH;
    }

    /** Length of the block: {@link #BLOCK_LENGTH} except possibly the last block of a piece. */
    public int blockLength(final int piece, final int block)
    {
        return Math.min(BLOCK_LENGTH, pieceLength(piece) - block * BLOCK_LENGTH);
    }

    // ---- availability from peers ------------------------------------------------------------------------------

    /** A peer announced the piece (HAVE). */
    public void peerHasPiece(final int piece)
    {
        order.increment(piece);
    }

    /** A peer sent its bitfield: every piece in it counts once more. */
    public void peerHasBitfield(final Bitfield peer)
    {
        for (int p = peer.nextSetBit(0); p >= 0; p = peer.nextSetBit(p + 1))
        {
            order.increment(p);
        }
    }

    /** A peer has every piece (a seed, or HAVE_ALL); counted apart since it does not change the order. */
    public void peerHasAll()
    {
        seeds++;
    }

    /** A peer no longer has the piece (it was counted by {@link #peerHasPiece} or in a bitfield). */
    public void peerLostPiece(final int piece)
    {
        order.decrement(piece);
    }

    /** A peer left: every piece in its current bitfield counts once less. */
    public void peerLeft(final Bitfield peer)
    {
        for (int p = peer.nextSetBit(0); p >= 0; p = peer.nextSetBit(p + 1))
        {
            order.decrement(p);
        }
    }

    /** A peer counted by {@link #peerHasAll()} left. */
    public void peerLeftHadAll()
    {
        if (seeds > 0)
        {
            seeds--;
        }
    }

    /**
     * Whether the connected peers hold every piece between them (a seed among them, or each piece announced by
     * someone): for a seed, the moment one whole copy has left it.
     */
    public boolean peersHoldEveryPiece()
    {
        return seeds > 0 || order.unseen() == 0;
    }

    /**
     * Start new pieces in index order (lowest first) instead of rarest first: what a player streaming the file
     * wants, at the swarm's cost (rare pieces are not spread; see perf-results/swarm-lab/seed-leaves).
     */
    public void inOrder(final boolean inOrder)
    {
        this.inOrder = inOrder;
    }

    /** How many connected peers have the piece. */
    public int availability(final int piece)
    {
        return order.availability(piece) + seeds;
    }

    // ---- ours ---------------------------------------------------------------------------------------------------

    /** We have the piece, verified (resume check at start, or SHA-1 matched). Idempotent. */
    public void markHave(final int piece)
    {
        if (have.get(piece))
        {
            return;
        }
        final boolean wanted = !skipped.get(piece);
        final int slot = started.slot(piece);
        if (slot >= 0)
        {
            if (wanted)
            {
                unrequestedBlocks -= started.missing(slot);
            }
            started.finish(piece);
            startedSet.clear(piece);
        }
        else if (wanted)
        {
            unrequestedBlocks -= blocksInPiece(piece);
            order.remove(piece);
        }
        priorities.had(piece);
        have.set(piece);
    }

    /**
     * Sets every piece's priority (0 = skip, 1..7 = download, higher first), as the files' priorities give them. A
     * piece that drops to 0 while started keeps its blocks in flight (they are written and verified as they come) but
     * is no longer picked; one raised from 0 goes back into the order.
     */
    public void priorities(final byte[] piecePriorities)
    {
        if (piecePriorities.length != pieceCount)
        {
            throw new IllegalArgumentException(piecePriorities.length + " priorities for " + pieceCount + " pieces");
        }
        for (int piece = 0; piece < pieceCount; piece++)
        {
            if (priorities.set(piece, piecePriorities[piece], have.get(piece)))
            {
                wantedChanged(piece, !skipped.get(piece));
            }
        }
    }

    /** A piece we lack became wanted or unwanted: into or out of the order and the count of unrequested blocks. */
    private void wantedChanged(final int piece, final boolean wanted)
    {
        final int slot = started.slot(piece);
        final long blocks = slot >= 0 ? started.missing(slot) : blocksInPiece(piece);
        unrequestedBlocks += wanted ? blocks : -blocks;
        if (slot < 0)
        {
            if (wanted)
            {
                order.insert(piece);
            }
            else
            {
                order.remove(piece);
            }
        }
    }

    /** The piece's priority: 0 skipped, 1..7 wanted. */
    public int priority(final int piece)
    {
        return priorities.of(piece);
    }

    /** Whether we lack the piece and want it. */
    public boolean wants(final int piece)
    {
        return !have.get(piece) && !skipped.get(piece);
    }

    /** Every wanted piece is had: nothing left to download (the rest is skipped). */
    public boolean isFinished()
    {
        return priorities.wantedMissing() == 0;
    }

    public boolean have(final int piece)
    {
        return have.get(piece);
    }

    /** Our pieces; a live view, not to be modified. */
    public Bitfield haveBitfield()
    {
        return have;
    }

    public boolean isComplete()
    {
        return have.isComplete();
    }

    /** Wanted pieces we lack. */
    public int missingPieces()
    {
        return priorities.wantedMissing();
    }

    /** Whether the peer has any piece we lack and want (we should be interested). */
    public boolean isInteresting(final Bitfield peer)
    {
        return peer.hasAnyNotIn(have, skipped);
    }

    /** Endgame: some wanted piece is missing, and every block of them is requested or received. */
    public boolean inEndgame()
    {
        return unrequestedBlocks == 0 && priorities.wantedMissing() > 0;
    }

    /** Blocks of pieces we lack that are neither requested nor received. */
    public long unrequestedBlocks()
    {
        return unrequestedBlocks;
    }

    // ---- picking ------------------------------------------------------------------------------------------------

    /**
     * Picks up to {@code max} blocks that the peer has and we lack, marks them requested and writes them into
     * {@code pieces[i]}, {@code blocks[i]}; returns how many. Outside endgame only MISSING blocks are picked; in
     * endgame (already in effect when called) only blocks requested from other peers, those for which
     * {@code requestedByThisPeer} is false (a null filter picks nothing in endgame), to any peer that asks, each
     * block to at most {@link #ENDGAME_REQUESTERS_ANY_PEER} peers at once. Prefer the overload with
     * {@code peerInFlight}: it keeps busy peers from doubling every remaining request, and its scans stay short.
     *
     * @param peer       the peer's pieces; may be null if {@code peerIsSeed}.
     * @param peerIsSeed the peer has every piece: its bitfield is not consulted.
     */
    public int pick(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int max,
        final int[] pieces,
        final int[] blocks,
        final BlockFilter requestedByThisPeer)
    {
        return pick(peer, peerIsSeed, max, pieces, blocks, requestedByThisPeer, -1);
    }

    /**
     * As {@link #pick(Bitfield, boolean, int, int[], int[], BlockFilter)}, with libtorrent's endgame restraint:
     * duplicates go only to a peer with nothing in flight ({@code peerInFlight == 0}), so a peer that is still
     * busy does not double the remaining requests; one that has gone idle takes over blocks stuck elsewhere, the
     * least duplicated first, however many peers already have them requested.
     */
    public int pick(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int max,
        final int[] pieces,
        final int[] blocks,
        final BlockFilter requestedByThisPeer,
        final int peerInFlight)
    {
        final int limit = Math.min(max, Math.min(pieces.length, blocks.length));
        if (limit <= 0 || priorities.wantedMissing() == 0)
        {
            return 0;
        }
        if (unrequestedBlocks == 0)
        {
            if (requestedByThisPeer == null || peerInFlight > 0)
            {
                return 0;
            }
            return endgame.pick(peer, peerIsSeed, limit, pieces, blocks, requestedByThisPeer,
                peerInFlight < 0 ? ENDGAME_REQUESTERS_ANY_PEER : StartedPieces.MAX_REQUESTERS);
        }
        int count = pickFromStarted(peer, peerIsSeed, limit, pieces, blocks);
        if (count < limit)
        {
            count = !inOrder && have.cardinality() < RANDOM_FIRST_PIECES && !priorities.mixed() ?
                pickRandomNew(peer, peerIsSeed, count, limit, pieces, blocks) :
                pickNewByPriority(peer, peerIsSeed, count, limit, pieces, blocks);
        }
        return count;
    }

    /**
     * Picks up to {@code max} missing blocks of one given piece, in order, starting it if it is fresh: how a web seed
     * extends a range past a piece's end into the next (BEP 19: long ranges, not one request per piece). Nothing in
     * endgame (no block is missing then), nor for a piece we have.
     */
    public int pickPiece(final int piece, final int max, final int[] pieces, final int[] blocks)
    {
        final int limit = Math.min(max, Math.min(pieces.length, blocks.length));
        if (piece < 0 || piece >= pieceCount || limit <= 0 || !wants(piece) || unrequestedBlocks == 0)
        {
            return 0;
        }
        final int slot = started.slot(piece);
        return slot >= 0 ? requestMissing(piece, slot, 0, limit, pieces, blocks) :
            startAndRequest(piece, 0, limit, pieces, blocks);
    }

    private int pickFromStarted(
        final Bitfield peer, final boolean peerIsSeed, final int limit, final int[] pieces, final int[] blocks)
    {
        int count = 0;
        int slot = started.firstOpen();
        while (slot >= 0 && count < limit)
        {
            final int next = started.nextOpen(slot); // requesting may unlink this slot
            final int piece = started.pieceOfSlot(slot);
            if ((peerIsSeed || peer.get(piece)) && !skipped.get(piece))
            {
                count = requestMissing(piece, slot, count, limit, pieces, blocks);
            }
            slot = next;
        }
        return count;
    }

    /**
     * New pieces in index order or rarest first: level by level from the highest while the pieces we lack span
     * several priorities, else all in one pass.
     */
    private int pickNewByPriority(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int from,
        final int limit,
        final int[] pieces,
        final int[] blocks)
    {
        if (!priorities.mixed())
        {
            return pickNew(peer, peerIsSeed, from, limit, pieces, blocks, -1);
        }
        int count = from;
        for (int level = MAX_PRIORITY; level > 0 && count < limit; level--)
        {
            if (priorities.anyMissingAt(level))
            {
                count = pickNew(peer, peerIsSeed, count, limit, pieces, blocks, level);
            }
        }
        return count;
    }

    private int pickNew(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int from,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final int level)
    {
        return inOrder ? pickInOrderNew(peer, peerIsSeed, from, limit, pieces, blocks, level) :
            pickRarestNew(peer, peerIsSeed, from, limit, pieces, blocks, level);
    }

    /** Rarest first among the pieces of priority {@code level} (-1: of any). */
    private int pickRarestNew(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int from,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final int level)
    {
        int count = from;
        int position = order.firstPosition();
        final int end = order.size();
        while (count < limit && position < end)
        {
            final int piece = order.pieceAt(position);
            if ((level < 0 || priorities.of(piece) == level) && (peerIsSeed || peer.get(piece)))
            {
                // taking the piece out swaps only already-scanned pieces into [firstPosition, position]: rescan here
                count = startAndRequest(piece, count, limit, pieces, blocks);
                position = Math.max(position, order.firstPosition());
            }
            else
            {
                position++;
            }
        }
        return count;
    }

    private int pickRandomNew(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int from,
        final int limit,
        final int[] pieces,
        final int[] blocks)
    {
        int count = from;
        while (count < limit)
        {
            final int piece = randomCandidate(peer, peerIsSeed);
            if (piece < 0)
            {
                break;
            }
            count = startAndRequest(piece, count, limit, pieces, blocks);
        }
        return count;
    }

    /** The lowest-numbered pieces of priority {@code level} (-1: of any) first. */
    private int pickInOrderNew(
        final Bitfield peer,
        final boolean peerIsSeed,
        final int from,
        final int limit,
        final int[] pieces,
        final int[] blocks,
        final int level)
    {
        int count = from;
        int w = 0;
        final int words = have.wordCount();
        long candidates = candidates(0, peer, peerIsSeed);
        while (count < limit && w < words)
        {
            if (candidates == 0)
            {
                if (++w < words)
                {
                    candidates = candidates(w, peer, peerIsSeed);
                }
                continue;
            }
            final int bit = Long.numberOfLeadingZeros(candidates);
            final int piece = (w << 6) + bit;
            candidates &= ~(Long.MIN_VALUE >>> bit);
            if (level < 0 || priorities.of(piece) == level)
            {
                count = startAndRequest(piece, count, limit, pieces, blocks);
            }
        }
        return count;
    }

    /** Word {@code w} of the pieces the peer has that are neither had nor started. */
    private long candidates(final int w, final Bitfield peer, final boolean peerIsSeed)
    {
        return ~have.word(w) & ~startedSet.word(w) & ~skipped.word(w) & (peerIsSeed ? lastWordMask(w) : peer.word(w));
    }

    /** A piece the peer has that is neither had nor started, scanning from a random word; -1 if none. */
    private int randomCandidate(final Bitfield peer, final boolean peerIsSeed)
    {
        final int words = have.wordCount();
        final int startWord = order.nextInt(words);
        for (int k = 0; k <= words; k++)
        {
            final int w = (startWord + k) % words;
            long candidates = candidates(w, peer, peerIsSeed);
            if (k == 0)
            {
                // first word: start at a random bit so small torrents are random too
                final long fromRandomBit = -1L >>> order.nextInt(64);
                if ((candidates & fromRandomBit) != 0)
                {
                    candidates &= fromRandomBit;
                }
            }
            if (candidates != 0)
            {
                return (w << 6) + Long.numberOfLeadingZeros(candidates);
            }
        }
        return -1;
    }

    private long lastWordMask(final int w)
    {
        final int tail = pieceCount & 63;
        return w == have.wordCount() - 1 && tail != 0 ? -1L << (64 - tail) : -1L;
    }

    private int startAndRequest(final int piece, final int count, final int limit, final int[] pieces,
        final int[] blocks)
    {
        order.remove(piece);
        startedSet.set(piece);
        final int slot = started.start(piece, blocksInPiece(piece));
        return requestMissing(piece, slot, count, limit, pieces, blocks);
    }

    private int requestMissing(final int piece, final int slot, final int from, final int limit, final int[] pieces,
        final int[] blocks)
    {
        int count = from;
        int b = started.missingFrom(slot);
        for (final int n = started.blockCount(slot); b < n && count < limit; b++)
        {
            if (started.state(slot, b) == StartedPieces.MISSING)
            {
                started.request(slot, b);
                unrequestedBlocks--;
                pieces[count] = piece;
                blocks[count] = b;
                count++;
            }
        }
        started.missingFrom(slot, b);
        return count;
    }

    // ---- outcomes -----------------------------------------------------------------------------------------------

    /**
     * A block arrived. Returns true if it is new and wanted: in a started piece we lack and not received before.
     * False for a duplicate (endgame), a piece we have, or a piece not started (e.g. reset by {@link #pieceFailed}).
     */
    public boolean blockReceived(final int piece, final int block)
    {
        final int slot = started.slot(piece);
        if (slot < 0 || block < 0 || block >= started.blockCount(slot))
        {
            return false;
        }
        final byte previous = started.receive(slot, block);
        if (previous == StartedPieces.RECEIVED)
        {
            return false;
        }
        if (previous == StartedPieces.MISSING && !skipped.get(piece))
        {
            unrequestedBlocks--;
        }
        return true;
    }

    /** Every block of the piece received: ready for SHA-1. */
    public boolean pieceWhole(final int piece)
    {
        final int slot = started.slot(piece);
        return slot >= 0 && started.received(slot) == started.blockCount(slot);
    }

    /**
     * The request will not be answered (the peer choked us, left, or rejected it): the block is pickable again once
     * no other peer has it requested. A started piece left with nothing requested or received goes back to the
     * rarest-first order. Stale calls (block received, piece had or reset) are ignored.
     */
    public void requestAbandoned(final int piece, final int block)
    {
        final int slot = started.slot(piece);
        if (slot < 0 || block < 0 || block >= started.blockCount(slot))
        {
            return;
        }
        if (started.abandon(slot, block))
        {
            unrequestedBlocks += skipped.get(piece) ? 0 : 1;
            if (started.busy(slot) == 0)
            {
                unstart(piece);
            }
        }
    }

    /** The piece's SHA-1 matched; same as {@link #markHave}. */
    public void pieceVerified(final int piece)
    {
        markHave(piece);
    }

    /** The piece's SHA-1 did not match: every block back to missing, the piece back in the rarest-first order. */
    public void pieceFailed(final int piece)
    {
        final int slot = started.slot(piece);
        if (slot < 0 || have.get(piece))
        {
            return;
        }
        unrequestedBlocks += skipped.get(piece) ? 0 : started.busy(slot);
        unstart(piece);
    }

    /** Peers currently holding a request for the block (0 if missing), or -1 if received or not started. */
    public int requesters(final int piece, final int block)
    {
        final int slot = started.slot(piece);
        if (slot < 0)
        {
            return have.get(piece) ? -1 : 0;
        }
        final byte s = started.state(slot, block);
        return s == StartedPieces.RECEIVED ? -1 : s;
    }

    /** Whether the piece is started (some block requested or received, not yet had). */
    public boolean isStarted(final int piece)
    {
        return started.slot(piece) >= 0;
    }

    private void unstart(final int piece)
    {
        started.finish(piece);
        startedSet.clear(piece);
        if (!skipped.get(piece))
        {
            order.insert(piece);
        }
    }

    /** Checks internal invariants; for tests. */
    void verify()
    {
        order.verify();
        started.verify();
        long unrequested = 0;
        for (int p = 0; p < pieceCount; p++)
        {
            final int slot = started.slot(p);
            if (have.get(p))
            {
                if (slot >= 0 || order.contains(p) || startedSet.get(p))
                {
                    throw new IllegalStateException("had piece " + p + " still started or ordered");
                }
            }
            else if (slot >= 0)
            {
                if (order.contains(p) || !startedSet.get(p))
                {
                    throw new IllegalStateException("started piece " + p + " ordered or not in the started set");
                }
                unrequested += skipped.get(p) ? 0 : started.missing(slot);
            }
            else if (skipped.get(p))
            {
                if (order.contains(p) || startedSet.get(p))
                {
                    throw new IllegalStateException("skipped piece " + p + " ordered or started");
                }
            }
            else
            {
                if (!order.contains(p) || startedSet.get(p))
                {
                    throw new IllegalStateException("fresh piece " + p + " not ordered");
                }
                unrequested += blocksInPiece(p);
            }
        }
        if (unrequested != unrequestedBlocks)
        {
            throw new IllegalStateException("unrequested blocks " + unrequestedBlocks + ", counted " + unrequested);
        }
    }
}
