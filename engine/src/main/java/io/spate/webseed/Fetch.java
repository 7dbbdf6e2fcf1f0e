package io.spate.webseed;

/**
 * One range in flight from a web seed: consecutive blocks of one or more consecutive pieces, fetched file by file
 * into {@link #data}. Made and read on the agent's thread; the HTTP threads fill {@link #data} in order and count
 * the bytes in {@link #received} (a volatile write after the bytes: the agent may use every block below it), post
 * {@link #progress} to the agent every {@link #PROGRESS_BYTES} so blocks reach the verify ring as they come (as a
 * peer's do: fewer duplicates in endgame), and when done (or failed: {@link #failure}) hand the fetch itself back
 * through the agent's command queue, where {@link #run()} reports it to its {@link WebSeeds}.
 */
final class Fetch implements Runnable
{
    /** Most pieces one fetch covers: its stale pieces are bits of one long. */
    static final int MAX_PIECES = 64;
    /** The agent is told of the bytes received every this many. */
    static final int PROGRESS_BYTES = 256 * 1024;

    final WebSeeds owner;
    final WebSeed seed;
    final int firstPiece;
    final int firstBlock;
    final int lastPiece;
    final int blockCount;
    final long offset;
    final int length;
    final byte[] data;
    final long startedNs;
    /** Runs {@link WebSeeds#onFetchProgress} on the agent's thread. */
    final Runnable progress;
    private final java.util.concurrent.Executor toAgent;

    // ---- the agent's -----------------------------------------------------------------------------------------------
    /** Timed out, dropped or stopped: its blocks went back to the picker and its result is ignored. */
    boolean abandoned;
    /** Bit i: piece firstPiece + i failed its check since the fetch began; its blocks are neither used nor returned. */
    long stalePieces;
    /** Blocks handed on so far (delivery waits while the verify ring is full), and where the next one lies. */
    int delivered;
    int nextPiece;
    int nextBlock;
    int nextOffset;
    /** {@link #received} when last looked at, and when it last moved: a stalled body times out. */
    int progressSeen;
    long progressAtNs;

    // ---- the HTTP threads' ------------------------------------------------------------------------------------------
    /** Bytes of the body received so far (one writer at a time: the files are fetched one after the other). */
    volatile int received;
    /** The body being received, for a cancel from the agent. */
    volatile RangeBody current;
    /** Set by the agent to stop the fetch: no further file is asked for, and the body being received stops. */
    volatile String cancelled;
    /** {@link #received} when the agent was last told. */
    private int told;
    /** Why it failed (null: every byte arrived), and how long the server asked us to wait (503 Retry-After). */
    String failure;
    boolean busy;
    long retryAfterNs;

    Fetch(final WebSeeds owner, final WebSeed seed, final int firstPiece, final int firstBlock, final int lastPiece,
        final int blockCount, final long offset, final int length, final long nowNs,
        final java.util.concurrent.Executor toAgent)
    {
        this.toAgent = toAgent;
        this.progress = () -> owner.onFetchProgress(this);
        this.lastPiece = lastPiece;
        this.owner = owner;
        this.seed = seed;
        this.firstPiece = firstPiece;
        this.firstBlock = firstBlock;
        this.blockCount = blockCount;
        this.offset = offset;
        this.length = length;
        this.data = new byte[length];
        this.nextPiece = firstPiece;
        this.nextBlock = firstBlock;
        this.progressAtNs = nowNs;
        this.startedNs = nowNs;
    }

    /** Whether {@code piece} (one this fetch covers) failed its check since the fetch began. */
    boolean stale(final int piece)
    {
        return (stalePieces & 1L << (piece - firstPiece)) != 0;
    }

    /** Marks {@code piece} stale if this fetch covers it. */
    void pieceFailed(final int piece)
    {
        if (piece >= firstPiece && piece <= lastPiece)
        {
            stalePieces |= 1L << (piece - firstPiece);
        }
    }

    /** {@code bytes} more of the span are in {@link #data} (HTTP thread; one writer at a time). */
    void received(final int bytes)
    {
        final int total = received + bytes;
        received = total;
        if (total - told >= PROGRESS_BYTES && total < length)
        {
            told = total;
            toAgent.execute(progress);
        }
    }

    /** Stops the body being received (called on the agent's thread; the HTTP side then fails the fetch). */
    void cancel(final String reason)
    {
        cancelled = reason;
        final RangeBody body = current;
        if (body != null)
        {
            body.cancel(reason);
        }
    }

    /** The HTTP side is done with the fetch: back on the agent's thread. */
    @Override
    public void run()
    {
        owner.onFetchDone(this);
    }
}
