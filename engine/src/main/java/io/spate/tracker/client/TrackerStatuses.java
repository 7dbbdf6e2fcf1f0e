package io.spate.tracker.client;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status of each tracker a {@link TorrentAnnouncer} announces to, and when it next announces: written by the
 * announce threads, read by the API from any thread (the map is small and changes a few times a minute, so a lock is
 * the plain choice).
 */
public final class TrackerStatuses
{
    private final Map<URI, TrackerStatus> statuses = new LinkedHashMap<>();
    private long nextAnnounceMs;

    TrackerStatuses(final Iterable<URI> trackers)
    {
        for (final URI uri : trackers)
        {
            statuses.put(uri, TrackerStatus.NOT_CONTACTED);
        }
    }

    /** @return the tracker's status, or null when it is not one this torrent announces to (an unsupported scheme). */
    public synchronized TrackerStatus of(final URI tracker)
    {
        return statuses.get(tracker);
    }

    /** @return epoch ms of the next announce scheduled, or 0 when none is (stopped). */
    public synchronized long nextAnnounceMs()
    {
        return nextAnnounceMs;
    }

    synchronized void nextAnnounceAt(final long epochMs)
    {
        nextAnnounceMs = epochMs;
    }

    synchronized void updating(final URI tracker)
    {
        statuses.computeIfPresent(tracker, (uri, status) -> status.updating());
    }

    /** The tracker answered, and the next announce is at {@code nextMs}: set together, so no reader sees one alone. */
    synchronized void answered(final URI tracker, final AnnounceResponse response, final long nowMs, final long nextMs)
    {
        nextAnnounceMs = nextMs;
        statuses.computeIfPresent(tracker, (uri, status) -> new TrackerStatus(TrackerStatus.State.WORKING, nowMs,
            response.complete(), response.incomplete(), response.peers().size(), null));
    }

    synchronized void failed(final URI tracker, final Exception failure, final long nowMs)
    {
        statuses.computeIfPresent(tracker, (uri, status) -> new TrackerStatus(TrackerStatus.State.ERROR, nowMs,
            status.seeders(), status.leechers(), status.peers(), describe(failure)));
    }

    /** A failure as a person reads it: the JDK's messages for a refused or timed-out connection are terse or null. */
    static String describe(final Exception failure)
    {
        final String message = failure.getMessage();
        if (failure instanceof ConnectException)
        {
            return "connection refused" + (message == null || message.equalsIgnoreCase("connection refused") ? "" :
                " (" + message + ")");
        }
        if (failure instanceof SocketTimeoutException)
        {
            return "timed out" + (message == null ? "" : " (" + message + ")");
        }
        if (failure instanceof UnknownHostException)
        {
            return "unknown host " + message;
        }
        return message != null ? message : failure.getClass().getSimpleName();
    }
}
