package io.spate.tracker.client;

import io.spate.agent.PeerSource;
import io.spate.agent.TorrentHandle;
import io.spate.tracker.AnnounceEvent;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a torrent announced (control path): {@code started} at once, {@code completed} when it completes, regular
 * re-announces at the tracker's interval (sooner, within its min interval, while we have no peers), and
 * {@code stopped} on close. Trackers are tried tier by tier (BEP 12); the first that answers is used. Peers from
 * every reply go to the torrent's agent to be dialled.
 */
public final class TorrentAnnouncer implements AutoCloseable
{
    /** While a torrent has no peers, re-announce this often (bounded below by the tracker's min interval). */
    static final int LONELY_REANNOUNCE_SECONDS = 5;
    private static final int MAX_INTERVAL_SECONDS = 3600;

    private final TrackerClient client;
    private final TorrentHandle torrent;
    private final List<URI> trackers;
    private final byte[] peerId;
    private final int port;
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> warnings;
    private final boolean completeAtStart;
    private final TrackerStatuses statuses;
    private ScheduledFuture<?> next;
    private URI working;
    private boolean completedSent;
    private boolean closed;

    public TorrentAnnouncer(final TrackerClient client, final TorrentHandle torrent, final List<URI> trackers,
        final byte[] peerId, final int port, final ScheduledExecutorService scheduler, final Consumer<String> warnings)
    {
        this.client = client;
        this.torrent = torrent;
        this.trackers = new ArrayList<>(trackers);
        this.peerId = peerId.clone();
        this.port = port;
        this.scheduler = scheduler;
        this.warnings = warnings;
        this.completeAtStart = torrent.completion().isDone();
        this.statuses = new TrackerStatuses(this.trackers);
    }

    /** Announces {@code started} now and schedules what follows. */
    public void start()
    {
        if (trackers.isEmpty())
        {
            return;
        }
        schedule(AnnounceEvent.STARTED, 0);
        torrent.completion().thenRun(() ->
        {
            if (!completeAtStart)
            {
                schedule(AnnounceEvent.COMPLETED, 0);
            }
        });
    }

    /** Announces now instead of at the next interval (a user asking for more peers); the interval starts again. */
    public void announceNow()
    {
        if (!trackers.isEmpty())
        {
            schedule(AnnounceEvent.NONE, 0);
        }
    }

    /** @return the trackers announced to, in the order tried. */
    public List<URI> trackers()
    {
        return List.copyOf(trackers);
    }

    /** @return each tracker's status and the next announce, for the API. */
    public TrackerStatuses statuses()
    {
        return statuses;
    }

    /** @return the tracker that answered last, or null before any answered. */
    public URI workingTracker()
    {
        return working;
    }

    private synchronized void schedule(final AnnounceEvent event, final long delaySeconds)
    {
        if (closed)
        {
            return;
        }
        if (next != null)
        {
            next.cancel(false);
        }
        next = scheduler.schedule(() -> announce(event), delaySeconds, TimeUnit.SECONDS);
        statuses.nextAnnounceAt(System.currentTimeMillis() + delaySeconds * 1000);
    }

    private void announce(final AnnounceEvent event)
    {
        if (event == AnnounceEvent.COMPLETED)
        {
            synchronized (this)
            {
                if (completedSent)
                {
                    return;
                }
                completedSent = true;
            }
        }
        final AnnounceResponse response = announceOnce(event);
        if (response == null)
        {
            schedule(AnnounceEvent.NONE, 30);
            return;
        }
        long delay = Math.min(Math.max(response.intervalSeconds(), 1), MAX_INTERVAL_SECONDS);
        if (torrent.stats().peersConnected.get() == 0)
        {
            delay = Math.min(delay, Math.max(LONELY_REANNOUNCE_SECONDS, response.minIntervalSeconds()));
        }
        final long nowMs = System.currentTimeMillis();
        statuses.answered(working, response, nowMs, nowMs + delay * 1000);
        if (!response.peers().isEmpty())
        {
            torrent.addPeers(response.peers(), PeerSource.TRACKER);
        }
        if (response.warningMessage() != null)
        {
            warnings.accept(working + ": tracker warning: " + response.warningMessage());
        }
        schedule(AnnounceEvent.NONE, delay);
    }

    /** @return the reply of the first tracker that answers, or null (each failure reported as a warning). */
    private AnnounceResponse announceOnce(final AnnounceEvent event)
    {
        final AnnounceParams params = new AnnounceParams(torrent.metainfo().infoHash(), peerId, port,
            torrent.stats().uploadedBytes.get(), torrent.stats().downloadedBytes.get(), torrent.left(), event, 50,
            true);
        final List<URI> order = new ArrayList<>();
        if (working != null)
        {
            order.add(working);
        }
        for (final URI uri : trackers)
        {
            if (!uri.equals(working))
            {
                order.add(uri);
            }
        }
        for (final URI uri : order)
        {
            if (Thread.currentThread().isInterrupted())
            {
                return null; // stopping: the next tracker is not tried
            }
            statuses.updating(uri);
            try
            {
                final AnnounceResponse response = client.announce(uri, params);
                working = uri;
                return response;
            }
            catch (final Exception ex)
            {
                statuses.failed(uri, ex, System.currentTimeMillis());
                warnings.accept(uri + ": announce failed: " + TrackerStatuses.describe(ex));
            }
        }
        return null;
    }

    /** Cancels re-announces and tells the tracker we stopped (bounded by the client's timeout). */
    @Override
    public void close()
    {
        synchronized (this)
        {
            closed = true;
            if (next != null)
            {
                next.cancel(false);
            }
            statuses.nextAnnounceAt(0);
        }
        if (working != null || !trackers.isEmpty())
        {
            announceOnce(AnnounceEvent.STOPPED);
        }
    }
}
