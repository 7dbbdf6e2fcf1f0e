package io.spate.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Finds peers for one torrent through the DHT, as a tracker announcer does through a tracker (control path): a
 * get_peers lookup, then announce_peer to the closest nodes (when we listen), every {@code interval}; every
 * {@code lonelyInterval} while the last round found no peer. One round at a time: the next is scheduled when the last
 * ends, so a slow DHT never piles rounds up. Peers go to {@code onPeers} as each lookup finds them (on the DHT
 * thread: hand them on, do not block). Private torrents (BEP 27) never use the DHT: {@link #forTorrent} refuses them.
 */
public final class DhtPeerSource implements AutoCloseable
{
    /** BEP 5 nodes keep announcements about 30 minutes; libtorrent re-announces every 15. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);
    /** While the DHT has given no peer: retry this often (the table may still be filling). */
    public static final Duration DEFAULT_LONELY_INTERVAL = Duration.ofSeconds(30);
    /** How long a magnet's resolution waits for one lookup per round ({@link #lookupOnce}). */
    public static final Duration LOOKUP_WAIT = Duration.ofSeconds(15);

    private final DhtNode dht;
    private final byte[] infoHash;
    private final int port;
    private final ScheduledExecutorService scheduler;
    private final Consumer<List<InetSocketAddress>> onPeers;
    private final long intervalMs;
    private final long lonelyIntervalMs;
    private ScheduledFuture<?> next;
    private boolean closed;
    private long rounds;
    /** A round is under way: {@link #lookupNow} then leaves it be rather than start a second. */
    private boolean inRound;
    /** Peers the last finished round found (-1 before one finished), and when it finished (epoch ms). */
    private int lastPeers = -1;
    private long lastRoundMs;

    /**
     * @param port the TCP port peers reach us on, announced; -1 to look up only (a leecher that cannot be dialled).
     */
    public DhtPeerSource(final DhtNode dht, final byte[] infoHash, final int port,
        final ScheduledExecutorService scheduler, final Consumer<List<InetSocketAddress>> onPeers,
        final Duration interval, final Duration lonelyInterval)
    {
        if (infoHash.length != NodeId.LENGTH)
        {
            throw new IllegalArgumentException("an info-hash is 20 bytes");
        }
        if (port < -1 || port > 65535)
        {
            throw new IllegalArgumentException("port " + port);
        }
        if (lonelyInterval.toMillis() < 1000 || interval.compareTo(lonelyInterval) < 0)
        {
            throw new IllegalArgumentException("intervals: lonely >= 1 s, regular >= lonely");
        }
        this.dht = dht;
        this.infoHash = infoHash.clone();
        this.port = port;
        this.scheduler = scheduler;
        this.onPeers = onPeers;
        this.intervalMs = interval.toMillis();
        this.lonelyIntervalMs = lonelyInterval.toMillis();
    }

    /**
     * A source with the default intervals for a torrent, or an exception for a private one (BEP 27: peers of a
     * private torrent come from its trackers only).
     */
    public static DhtPeerSource forTorrent(final DhtNode dht, final byte[] infoHash, final boolean isPrivate,
        final int port, final ScheduledExecutorService scheduler, final Consumer<List<InetSocketAddress>> onPeers)
    {
        if (isPrivate)
        {
            throw new IllegalArgumentException("a private torrent (BEP 27) never uses the DHT");
        }
        return new DhtPeerSource(dht, infoHash, port, scheduler, onPeers, DEFAULT_INTERVAL, DEFAULT_LONELY_INTERVAL);
    }

    /**
     * One get_peers lookup, waited for at most {@code wait}: a magnet link's peer source while its metadata is
     * fetched (seed/leech and the daemon). Blocks, so never call it on the DHT thread.
     *
     * @return the peers it found; none when it failed or took too long.
     */
    public static List<InetSocketAddress> lookupOnce(final DhtNode dht, final byte[] infoHash, final Duration wait)
    {
        try
        {
            return dht.getPeers(infoHash).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return List.of();
        }
        catch (final ExecutionException | TimeoutException | RuntimeException e)
        {
            return List.of();
        }
    }

    /** Runs the first round now. */
    public void start()
    {
        schedule(0);
    }

    /**
     * Starts a round now instead of at its time (a user asking for more peers), unless one is under way; the
     * interval starts again after it.
     */
    public synchronized void lookupNow()
    {
        if (closed || inRound)
        {
            return;
        }
        if (next != null)
        {
            next.cancel(false);
        }
        schedule(0);
    }

    /** @return peers the last finished round found, or -1 before one finished. */
    public synchronized int lastPeers()
    {
        return lastPeers;
    }

    /** @return epoch ms when the last round finished, or 0. */
    public synchronized long lastRoundMs()
    {
        return lastRoundMs;
    }

    /** @return rounds finished so far. */
    public synchronized long rounds()
    {
        return rounds;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (next != null)
        {
            next.cancel(false);
        }
    }

    private synchronized void schedule(final long delayMs)
    {
        if (!closed)
        {
            next = scheduler.schedule(this::round, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void round()
    {
        synchronized (this)
        {
            if (closed || inRound)
            {
                return;
            }
            inRound = true;
        }
        CompletableFuture<List<InetSocketAddress>> lookup;
        try
        {
            lookup = port >= 0 ? dht.announce(infoHash, port, onPeers) : dht.getPeers(infoHash, onPeers);
        }
        catch (final RuntimeException ex)
        {
            lookup = CompletableFuture.failedFuture(ex); // the node is closing: the round ends as a failed one
        }
        lookup.whenComplete((peers, failure) ->
        {
            synchronized (this)
            {
                rounds++;
                inRound = false;
                lastPeers = failure == null ? peers.size() : 0;
                lastRoundMs = System.currentTimeMillis();
            }
            schedule(failure == null && !peers.isEmpty() ? intervalMs : lonelyIntervalMs);
        });
    }
}
