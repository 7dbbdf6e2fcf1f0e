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
 * A torrent's web seeds (BEP 19), on its agent's thread. Each seed is given ranges by the picker as a peer with every
 * piece is ({@link RangePicker}: peers and web seeds never fetch the same block outside endgame), up to
 * {@link #MAX_FETCH_BYTES} a range, {@link #MAX_FETCHES} ranges in flight a seed and {@link #MAX_TORRENT_FETCHES}
 * over all. The HTTP work runs on the client's thread; news of it comes back through the agent's queue
 * ({@code toAgent}): blocks go to the verify ring as they arrive, as a peer's do, as fast as the ring takes them. A
 * piece that fails its check strikes every seed that served a block of it; failures and stalls strike the seed that
 * had them; {@link WebSeed} decides the back-off and the drop, and each strike is a warning naming the URL and reason.
 */
public final class WebSeeds
{
    static final int MAX_FETCHES = 4;
    /** Fetches in flight over all of a torrent's seeds: their buffers stay within 32 MiB however many seeds it has. */
    static final int MAX_TORRENT_FETCHES = 16;
    static final int MAX_FETCH_BYTES = 2 << 20;
    /** A fetch whose body has not moved for this long is abandoned (the response's headers have their own timeout). */
    static final long STALL_NS = TimeUnit.SECONDS.toNanos(30);

    private final Metainfo metainfo;
    private final PiecePicker picker;
    private final WebSeedClient client;
    private final BlockSink sink;
    private final Executor toAgent;
    private final LongSupplier clock;
    private final Consumer<String> warnings;
    private final List<WebSeed> seeds = new ArrayList<>();
    private final RangePicker ranges;
    /** Fetches received whole whose blocks wait for room in the verify ring. */
    private final ArrayDeque<Fetch> ready = new ArrayDeque<>();
    /** For each piece in progress, a bit for each seed that served a block of it (what a failed check strikes). */
    private final Long2LongHashMap contributors = new Long2LongHashMap(0);
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
        this.ranges = new RangePicker(metainfo, picker);
        for (final String url : metainfo.urlList())
        {
            if (seeds.size() < Long.SIZE) // url-list holds at most 64 (UrlList.MAX_URLS): one bit each
            {
                seeds.add(new WebSeed(url, seeds.size(), new FileUrls(url, metainfo)));
            }
        }
    }

    /** @return each seed's state now, for the API (on the agent's thread). */
    public List<WebSeedState> states(final long nowNs)
    {
        final List<WebSeedState> states = new ArrayList<>(seeds.size());
        for (int i = 0; i < seeds.size(); i++)
        {
            final WebSeed seed = seeds.get(i);
            final long delayNs = seed.delayNs(nowNs);
            final String state = seed.dropped() ? "dropped" : stopped || picker.isComplete() ? "idle" :
                !seed.inFlight().isEmpty() ? "fetching" : delayNs > 0 ? "backing off" : "ready";
            states.add(new WebSeedState(seed.url(), state, seed.inFlight().size(), seed.failures(),
                seed.badPieces(), seed.dropped() ? 0 : TimeUnit.NANOSECONDS.toMillis(delayNs)));
        }
        return states;
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
        deliverAll();
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
        if (picker.isFinished())
        {
            stop();
            return;
        }
        deliverAll(); // the disk took a piece: there may be room in the ring
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
        deliverAll();
    }

    /** Fetches again after {@link #stop()}: the torrent that finished wants more (files no longer skipped). */
    public void resume(final long nowNs)
    {
        if (stopped)
        {
            stopped = false;
            onTick(nowNs);
        }
    }

    /** Stops every fetch; nothing is fetched again until {@link #resume(long)}. */
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

    /** Part of a fetch in flight has come: its blocks go on now, not when the whole range is in. */
    void onFetchProgress(final Fetch fetch)
    {
        if (!stopped && !fetch.abandoned && ready.isEmpty())
        {
            deliver(fetch, fetch.received);
        }
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
            deliverAll();
        }
        else
        {
            deliver(fetch, fetch.received); // what came before the failure is good as any (the hash will say)
            ranges.giveBack(fetch);
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
        if (stopped || !ready.isEmpty() || picker.isFinished())
        {
            return; // while blocks wait for the ring, no more are fetched: memory stays bounded
        }
        int inFlight = fetchesInFlight();
        for (int s = 0; s < seeds.size() && inFlight < MAX_TORRENT_FETCHES; s++)
        {
            final WebSeed seed = seeds.get(s);
            while (inFlight < MAX_TORRENT_FETCHES && seed.mayStart(nowNs, MAX_FETCHES))
            {
                final Fetch fetch = ranges.next(this, seed, nowNs, toAgent);
                if (fetch == null)
                {
                    break;
                }
                seed.inFlight().add(fetch);
                inFlight++;
                client.start(fetch, metainfo.layout(), toAgent);
            }
        }
    }

    /**
     * Hands blocks to the verify ring while it has room: first those of fetches received whole, then those that
     * fetches in flight have received so far. When the ring is full the rest waits for the next verdict or tick.
     */
    private void deliverAll()
    {
        while (!ready.isEmpty())
        {
            final Fetch fetch = ready.peekFirst();
            if (!deliver(fetch, fetch.length))
            {
                return;
            }
            ready.pollFirst();
        }
        for (int s = 0; s < seeds.size(); s++)
        {
            final List<Fetch> fetches = seeds.get(s).inFlight();
            for (int i = 0; i < fetches.size(); i++)
            {
                if (!deliver(fetches.get(i), fetches.get(i).received))
                {
                    return;
                }
            }
        }
    }

    /** @return false if the ring filled before every block below {@code upTo} bytes was handed on. */
    private boolean deliver(final Fetch fetch, final int upTo)
    {
        while (fetch.delivered < fetch.blockCount)
        {
            final int piece = fetch.nextPiece;
            final int length = picker.blockLength(piece, fetch.nextBlock);
            if (fetch.nextOffset + length > upTo)
            {
                return true;
            }
            if (!sink.hasRoom(1))
            {
                return false;
            }
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
        return true;
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
                ranges.giveBack(fetch);
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
                ranges.giveBack(fetch);
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
