package io.spate.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentStats;
import io.spate.peer.CloseReason;
import io.spate.service.Daemon;
import io.spate.service.ManagedTorrent;
import io.spate.service.ServiceJson;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The daemon's global figures: totals over its torrents, torrents by state, connection closes by reason. */
final class StatsJson
{
    private StatsJson()
    {
    }

    static ObjectNode stats(final Daemon daemon) throws IOException
    {
        long downloaded = 0;
        long uploaded = 0;
        long downloadRate = 0;
        long uploadRate = 0;
        long peers = 0;
        long hashFailures = 0;
        long banned = 0;
        long rehashed = 0;
        long spotChecked = 0;
        final Map<ManagedTorrent.State, Integer> byState = new EnumMap<>(ManagedTorrent.State.class);
        int count = 0;
        for (final ManagedTorrent torrent : daemon.snapshot())
        {
            count++;
            byState.merge(torrent.state(), 1, Integer::sum);
            rehashed += torrent.rehashedPieces();
            spotChecked += torrent.spotCheckedPieces();
            final TorrentHandle handle = torrent.handle();
            if (handle != null)
            {
                final TorrentStats stats = handle.stats();
                downloaded += stats.downloadedBytes.get();
                uploaded += stats.uploadedBytes.get();
                downloadRate += stats.downloadRate.get();
                uploadRate += stats.uploadRate.get();
                peers += stats.peersConnected.get();
                hashFailures += stats.hashFailures.get();
                banned += stats.peersBanned.get();
            }
        }
        final ObjectNode node = ServiceJson.MAPPER.createObjectNode();
        node.put("torrents", count);
        final ObjectNode states = node.putObject("states");
        for (final ManagedTorrent.State state : ManagedTorrent.State.values())
        {
            states.put(state.name().toLowerCase(Locale.ROOT), byState.getOrDefault(state, 0));
        }
        node.put("downloaded", downloaded);
        node.put("uploaded", uploaded);
        node.put("download_rate", downloadRate);
        node.put("upload_rate", uploadRate);
        node.put("peers", peers);
        node.put("hash_failures", hashFailures);
        node.put("peers_banned", banned);
        node.put("rehashed_pieces", rehashed);
        node.put("spot_checked_pieces", spotChecked);
        node.put("listen_port", daemon.engine().listenAddress().getPort());
        node.put("uptime_seconds", (System.currentTimeMillis() - daemon.startedAtMs()) / 1000);
        final ObjectNode closes = node.putObject("connection_closes");
        for (final Map.Entry<CloseReason, Long> entry : daemon.engine().closeCounters().snapshot().entrySet())
        {
            closes.put(entry.getKey().name().toLowerCase(Locale.ROOT), entry.getValue());
        }
        if (daemon.dht() != null)
        {
            final ObjectNode dht = node.putObject("dht");
            dht.put("port", daemon.dht().localAddress().getPort());
            dht.put("id", daemon.dht().id().toString());
            dht.put("nodes", daemon.dht().routingTableSize());
            final ObjectNode counters = dht.putObject("counters");
            daemon.dht().counters().snapshot().forEach((counter, n) ->
                counters.put(counter.name().toLowerCase(Locale.ROOT), n));
        }
        node.set("settings", daemon.settings().toJson());
        return node;
    }
}
