package io.spate.service;

import io.spate.Engine;
import io.spate.dht.DhtNode;
import io.spate.dht.DhtPeerSource;
import io.spate.magnet.MagnetLink;
import io.spate.magnet.MagnetResolver;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.client.TrackerClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Fetches the info dictionary of torrents added as magnet links (BEP 9) from the peers of the link's trackers, its
 * x.pe peers and (with a DHT node) a get_peers lookup each round, so a link with no tracker works too; a few at a
 * time, each bounded in time; the daemon saves it as a .torrent and starts the torrent. A failure leaves the torrent
 * in error; resume tries again.
 */
final class MagnetJobs implements AutoCloseable
{
    static final long METADATA_TIMEOUT_MS = 120_000;
    private static final int CONCURRENT = 4;

    private final Daemon daemon;
    private final TrackerClient trackerClient;
    private final Engine engine;
    private final Consumer<String> warnings;
    private final DhtNode dht;
    private final ExecutorService executor = Executors.newFixedThreadPool(CONCURRENT,
        ServiceThreads.named("spate-magnet"));

    MagnetJobs(final Daemon daemon, final TrackerClient trackerClient, final Engine engine,
        final Consumer<String> warnings, final DhtNode dht)
    {
        this.daemon = daemon;
        this.dht = dht;
        this.trackerClient = trackerClient;
        this.engine = engine;
        this.warnings = warnings;
    }

    void resolve(final ManagedTorrent torrent)
    {
        torrent.starting(true);
        executor.execute(() ->
        {
            try
            {
                final MagnetLink link = MagnetLink.parse(torrent.entry().magnet());
                final Metainfo metainfo = new MagnetResolver(trackerClient, engine.peerId(),
                    engine.listenAddress().getPort(), message -> warnings.accept(link.infoHashHex() + ": " + message))
                    .resolve(link, link.trackers(), new ArrayList<>(link.peers()), this::dhtPeers, METADATA_TIMEOUT_MS);
                torrent.starting(false);
                daemon.metadataArrived(torrent, metainfo, MagnetResolver.torrent(metainfo.rawInfo(), link.trackers(), link.webSeeds()));
            }
            catch (final Exception ex)
            {
                torrent.starting(false);
                torrent.error("metadata: " + ex.getMessage());
            }
        });
    }

    private List<InetSocketAddress> dhtPeers(final byte[] infoHash)
    {
        return dht == null ? List.of() : DhtPeerSource.lookupOnce(dht, infoHash, DhtPeerSource.LOOKUP_WAIT);
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
