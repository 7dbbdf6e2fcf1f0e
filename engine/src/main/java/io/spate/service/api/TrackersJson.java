package io.spate.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.dht.DhtPeerSource;
import io.spate.metainfo.Metainfo;
import io.spate.service.ManagedTorrent;
import io.spate.tracker.client.TorrentAnnouncer;
import io.spate.tracker.client.TrackerStatus;
import io.spate.tracker.client.TrackerStatuses;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * A torrent's trackers (each with its tier, status, last and next announce, the swarm its last reply counted and its
 * last error) and its DHT rounds, in the detail JSON. Read from the announcer's and the DHT source's own figures.
 */
final class TrackersJson
{
    private TrackersJson()
    {
    }

    static void trackers(final ArrayNode array, final ManagedTorrent torrent, final Metainfo metainfo)
    {
        final TorrentAnnouncer announcer = torrent.announcer();
        final TrackerStatuses statuses = announcer == null ? null : announcer.statuses();
        final URI working = announcer == null ? null : announcer.workingTracker();
        final List<List<String>> tiers = metainfo.trackerTiers();
        for (int tier = 0; tier < tiers.size(); tier++)
        {
            for (final String url : tiers.get(tier))
            {
                final URI uri = uri(url);
                final TrackerStatus status = statuses == null || uri == null ? null : statuses.of(uri);
                final ObjectNode node = array.addObject().put("url", url).put("tier", tier)
                    .put("working", working != null && working.equals(uri));
                if (status == null)
                {
                    node.put("status", announcer == null ? "not contacted" : "unsupported");
                    continue;
                }
                node.put("status", status.state().label());
                putTime(node, "last_announce_ms", status.lastAnnounceMs());
                putTime(node, "next_announce_ms", statuses.nextAnnounceMs());
                putCount(node, "seeders", status.seeders());
                putCount(node, "leechers", status.leechers());
                putCount(node, "peers", status.peers());
                if (status.lastError() != null)
                {
                    node.put("last_error", status.lastError());
                }
            }
        }
    }

    /** {@code enabled}, and once a round finished: the peers it found and when. */
    static void dht(final ObjectNode node, final ManagedTorrent torrent)
    {
        final DhtPeerSource source = torrent.dhtPeers();
        node.put("enabled", source != null);
        if (source != null)
        {
            putCount(node, "last_peers", source.lastPeers());
            putTime(node, "last_round_ms", source.lastRoundMs());
            node.put("rounds", source.rounds());
        }
    }

    private static URI uri(final String url)
    {
        try
        {
            return new URI(url);
        }
        catch (final URISyntaxException ex)
        {
            return null;
        }
    }

    private static void putTime(final ObjectNode node, final String field, final long epochMs)
    {
        if (epochMs > 0)
        {
            node.put(field, epochMs);
        }
        else
        {
            node.putNull(field);
        }
    }

    private static void putCount(final ObjectNode node, final String field, final int count)
    {
        if (count >= 0)
        {
            node.put(field, count);
        }
        else
        {
            node.putNull(field);
        }
    }
}
