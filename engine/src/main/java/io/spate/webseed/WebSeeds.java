package io.spate.webseed;

import io.spate.metainfo.Metainfo;
import io.spate.picker.PiecePicker;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A torrent's web seeds (BEP 19), on its agent's thread. The picker hands each seed blocks as to a peer that has
 * every piece, so peers and web seeds never fetch the same block outside endgame; a seed takes the first run of
 * consecutive blocks it is given and carries it on through the following pieces while they are fresh, up to
 * {@link #MAX_FETCH_BYTES} in one range (BEP 19: long ranges, not a request per block), {@link #MAX_FETCHES} ranges in
 * flight. The HTTP work runs on the client's thread; finished fetches come back through the agent's queue
 * ({@code toAgent}), and their blocks go to the verify ring as a peer's do, as fast as the ring takes them. A piece
 * that fails its check strikes every seed that served a block of it; failures and stalls strike the seed that had
 * them; {@link WebSeed} decides the back-off and the drop, and each strike is a warning naming the URL and reason.
 */
public final class WebSeeds
{
    static final int MAX_FETCHES = 4;
    static final int MAX_FETCH_BYTES = 2 << 20;
    /** A fetch whose body has not moved for this long is abandoned (the response's headers have their own timeout). */
    static final long STALL_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_FETCH_BLOCKS = MAX_FETCH_BYTES / PiecePicker.BLOCK_LENGTH;
    /** A seed is picked for only when it has nothing in flight in endgame, so none of its blocks is in flight. */
    private static final PiecePicker.BlockFilter NONE_IN_FLIGHT = (piece, block) -> false;

    private final Metainfo metainfo;
    private final PiecePicker picker;
    private final WebSeedClient client;
    private final BlockSink sink;
    private final Executor toAgent;
    private final LongSupplier clock;
    private final Consumer<String> warnings;
    private final List<WebSeed> seeds = new ArrayList<>();
    /** Fetches received whole whose blocks wait for room in the verify ring. */
    private final ArrayDeque<Fetch> ready = new ArrayDeque<>();
    /** For each piece in progress, a bit for each seed that served a block of it (what a failed check strikes). */
    private final Long2LongHashMap contributors = new Long2LongHashMap(0);
    private final int[] pieces = new int[MAX_FETCH_BLOCKS];
    private final int[] blocks = new int[MAX_FETCH_BLOCKS];
    private final int[] morePieces = new int[MAX_FETCH_BLOCKS];
    private final int[] moreBlocks = new int[MAX_FETCH_BLOCKS];
    private boolean stopped;

    /**
     * @param toAgent  runs a finished fetch on the agent's thread (the agent's command queue).
     * @param clock    the agent's cached clock.
     * @param warnings told of each strike and drop, on the agent's thread (hand off, never block).
     */
    public WebSeeds(final Metainfo metainfo, final PiecePicker picker, final WebSeedClient client,
        final BlockSink sink, final Executor toAgent, final LongSupplier clock, final Consumer<String> warnings)
    {
        this.metainfo = metainfo;
        this.picker = picker;
        this.client = client;
        this.sink = sink;
        this.toAgent = toAgent;
        this.clock = clock;
        this.warnings = warnings;
        for (final String url : metainfo.urlList())
        {
            if (seeds.size() < Long.SIZE) // url-list holds at most 64 (UrlList.MAX_URLS): one bit each
            {
                seeds.add(new WebSeed(url, seeds.size(), new FileUrls(url, metainfo)));
            }
        }
    }

    /** @return seeds not dropped. */
    public int usable()
    {
        int n = 0;
        for (int i = 0; i < seeds.size(); i++)
        {
            n += seeds.get(i).dropped() ? 0 : 1;
        }
        return n;
    }

    /** @return fetches in flight, over every seed. */
    int fetchesInFlight()
    {
        int n = 0;
        for (int i = 0; i < seeds.size(); i++)
        {
            n += seeds.get(i).inFlight().size();
        }
        return n;
    }

    /** @return fetches received whole whose blocks wait for room in the verify ring. */
    int fetchesWaiting()
    {
        return ready.size();
    }

    /** Once a second, and when the seeds start: hand on what waits, time out stalls, start fetches. */
    public void onTick(final long nowNs)
    {
        if (stopped)
        {
            return;
        }
        deliverReady();
        for (int s = 0; s < seeds.size(); s++)
        {
            timeOutStalls(seeds.get(s), nowNs);
        }
        startFetches(nowNs);
    }

    /** The piece passed its check: its contributors are forgiven nothing and blamed for nothing. */
    public void pieceVerified(final int piece)
    {
        contributors.remove(piece);
        if (picker.isComplete())
        {
            stop();
            return;
        }
        deliverReady(); // the disk took a piece: there may be room in the ring
    }

    /** The piece failed its check: each seed that served part of it is struck; fetches of it are stale. */
    public void pieceFailed(final int piece)
    {
        if (stopped)
        {
            return;
        }
        for (int s = 0; s < seeds.size(); s++)
        {
            final List<Fetch> fetches = seeds.get(s).inFlight();
            for (int i = 0; i < fetches.size(); i++)
            {
                fetches.get(i).pieceFailed(piece);
            }
        }
        for (final Fetch fetch : ready)
        {
            fetch.pieceFailed(piece);
        }
        final long served = contributors.remove(piece);
        final long now = clock.getAsLong();
        for (int s = 0; s < seeds.size(); s++)
        {
            if ((served & 1L << s) != 0)
            {
                strike(seeds.get(s), now, "piece " + piece + " failed its SHA-1 check", now, true);
            }
        }
        deliverReady();
    }

    /** Stops every fetch; nothing is fetched again. */
    public void stop()
    {
        stopped = true;
        for (int s = 0; s < seeds.size(); s++)
        {
            final List<Fetch> fetches = seeds.get(s).inFlight();
            for (int i = 0; i < fetches.size(); i++)
            {
                fetches.get(i).abandoned = true;
                fetches.get(i).cancel("torrent stopped");
            }
            fetches.clear();
        }
        ready.clear();
    }

    /** A fetch is back from the HTTP side, whole or failed. */
    void onFetchDone(final Fetch fetch)
    {
        if (stopped || fetch.abandoned)
        {
            return;
        }
        final WebSeed seed = fetch.seed;
        seed.inFlight().remove(fetch);
        final long now = clock.getAsLong();
        if (fetch.failure == null)
        {
            seed.fetched();
            ready.add(fetch);
            deliverReady();
        }
        else
        {
            returnBlocks(fetch);
            if (fetch.busy)
            {
                if (seed.busy(now, fetch.startedNs, fetch.retryAfterNs))
                {
                    warnings.accept("web seed " + seed.url() + ": " + fetch.failure + "; next try in " +
                        TimeUnit.NANOSECONDS.toSeconds(seed.delayNs(now)) + " s");
                }
            }
            else
            {
                strike(seed, now, fetch.failure, fetch.startedNs, false);
            }
        }
        startFetches(now);
    }

    private void startFetches(final long nowNs)
    {
        if (stopped || !ready.isEmpty() || picker.isComplete())
        {
            return; // while blocks wait for the ring, no more are fetched: memory stays bounded
        }
        for (int s = 0; s < seeds.size(); s++)
        {
            final WebSeed seed = seeds.get(s);
            while (seed.mayStart(nowNs, MAX_FETCHES))
            {
                final Fetch fetch = pick(seed, nowNs);
                if (fetch == null)
                {
                    break;
                }
                seed.inFlight().add(fetch);
                client.start(fetch, metainfo.layout(), toAgent);
            }
        }
    }

    /** @return the seed's next fetch: a run of consecutive blocks, carried on into fresh pieces; null if none. */
    private Fetch pick(final WebSeed seed, final long nowNs)
    {
        final int picked = picker.pick(null, true, Math.min(MAX_FETCH_BLOCKS, picker.blocksInPiece(0)), pieces,
            blocks, NONE_IN_FLIGHT, seed.inFlightBlocks());
        if (picked == 0)
        {
            return null;
        }
        int run = 1;
        while (run < picked && follows(pieces[run - 1], blocks[run - 1], pieces[run], blocks[run]))
        {
            run++;
        }
        abandon(pieces, blocks, run, picked);
        while (run < MAX_FETCH_BLOCKS && blocks[run - 1] == picker.blocksInPiece(pieces[run - 1]) - 1 &&
            pieces[run - 1] + 1 < picker.pieceCount() && pieces[run - 1] + 1 - pieces[0] < Fetch.MAX_PIECES)
        {
            final int next = pieces[run - 1] + 1;
            final int more = picker.pickPiece(next, MAX_FETCH_BLOCKS - run, morePieces, moreBlocks);
            int taken = 0;
            while (taken < more && moreBlocks[taken] == taken)
            {
                pieces[run] = next;
                blocks[run] = taken;
                run++;
                taken++;
            }
            abandon(morePieces, moreBlocks, taken, more);
            if (taken == 0 || taken < picker.blocksInPiece(next))
            {
                break;
            }
        }
        int length = 0;
        for (int i = 0; i < run; i++)
        {
            length += picker.blockLength(pieces[i], blocks[i]);
        }
        final long offset = (long)pieces[0] * metainfo.pieceLength() + (long)blocks[0] * PiecePicker.BLOCK_LENGTH;
        return new Fetch(this, seed, pieces[0], blocks[0], pieces[run - 1], run, offset, length, nowNs);
    }

    private boolean follows(final int piece, final int block, final int nextPiece, final int nextBlock)
    {
        return nextPiece == piece && nextBlock == block + 1 ||
            nextPiece == piece + 1 && nextBlock == 0 && block == picker.blocksInPiece(piece) - 1;
    }

    private void abandon(final int[] ps, final int[] bs, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            picker.requestAbandoned(ps[i], bs[i]);
        }
    }

    /** A fetch that will not deliver: its blocks go back to the picker (but not those of pieces reset since). */
    private void returnBlocks(final Fetch fetch)
    {
        int piece = fetch.firstPiece;
        int block = fetch.firstBlock;
        for (int i = 0; i < fetch.blockCount; i++)
        {
            if (!fetch.stale(piece))
            {
                picker.requestAbandoned(piece, block);
            }
            if (++block == picker.blocksInPiece(piece))
            {
                piece++;
                block = 0;
            }
        }
    }

    /** Hands the blocks of fetches received whole to the verify ring, in order, while it has room. */
    private void deliverReady()
    {
        while (!ready.isEmpty())
        {
            final Fetch fetch = ready.peekFirst();
            while (fetch.delivered < fetch.blockCount)
            {
                if (!sink.hasRoom(1))
                {
                    return; // the disk is behind: on again at the next verdict or tick
                }
                final int piece = fetch.nextPiece;
                final int length = picker.blockLength(piece, fetch.nextBlock);
                if (!fetch.stale(piece) && sink.block(piece, fetch.nextBlock, fetch.data, fetch.nextOffset, length))
                {
                    contributors.put(piece, contributors.get(piece) | 1L << fetch.seed.index());
                }
                fetch.nextOffset += length;
                fetch.delivered++;
                if (++fetch.nextBlock == picker.blocksInPiece(piece))
                {
                    fetch.nextPiece++;
                    fetch.nextBlock = 0;
                }
            }
            ready.pollFirst();
        }
    }

    private void timeOutStalls(final WebSeed seed, final long nowNs)
    {
        final List<Fetch> fetches = seed.inFlight();
        for (int i = fetches.size() - 1; i >= 0; i--)
        {
            if (i >= fetches.size())
            {
                continue; // a strike dropped the seed and emptied the list
            }
            final Fetch fetch = fetches.get(i);
            final int received = fetch.received;
            if (received != fetch.progressSeen)
            {
                fetch.progressSeen = received;
                fetch.progressAtNs = nowNs;
            }
            else if (nowNs - fetch.progressAtNs > STALL_NS)
            {
                fetches.remove(i);
                fetch.abandoned = true;
                fetch.cancel("timed out");
                returnBlocks(fetch);
                strike(seed, nowNs, "no data for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NS) + " s (" + received +
                    " of " + fetch.length + " bytes received)", fetch.startedNs, false);
            }
        }
    }

    private void strike(final WebSeed seed, final long nowNs, final String reason, final long startedNs,
        final boolean badPiece)
    {
        if (seed.dropped())
        {
            return;
        }
        final int failuresBefore = seed.failures();
        if (badPiece ? seed.servedBadPiece(nowNs) : seed.failed(nowNs, startedNs))
        {
            warnings.accept("web seed " + seed.url() + " dropped: " + reason + " (" + (badPiece ?
                seed.badPieces() + " bad pieces" : seed.failures() + " failures in a row") + ")");
            final List<Fetch> fetches = seed.inFlight();
            for (int i = 0; i < fetches.size(); i++)
            {
                final Fetch fetch = fetches.get(i);
                fetch.abandoned = true;
                fetch.cancel("web seed dropped");
                returnBlocks(fetch);
            }
            fetches.clear();
        }
        else if (badPiece || seed.failures() != failuresBefore)
        {
            warnings.accept("web seed " + seed.url() + ": " + reason + "; next try in " +
                TimeUnit.NANOSECONDS.toSeconds(seed.delayNs(nowNs)) + " s");
        }
    }
}
