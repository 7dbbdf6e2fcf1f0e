package io.spate.service;

import io.spate.Engine;
import io.spate.magnet.MagnetLink;
import io.spate.magnet.MagnetResolver;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.client.TrackerClient;

import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Fetches the info dictionary of torrents added as magnet links (BEP 9), a few at a time, each bounded in time; the
 * daemon saves it as a .torrent and starts the torrent. A failure leaves the torrent in error; resume tries again.
 */
final class MagnetJobs implements AutoCloseable
{
    static final long METADATA_TIMEOUT_MS = 120_000;
    private static final int CONCURRENT = 4;

    private final Daemon daemon;
    private final TrackerClient trackerClient;
    private final Engine engine;
    private final Consumer<String> warnings;
    private final ExecutorService executor = Executors.newFixedThreadPool(CONCURRENT,
        ServiceThreads.named("spate-magnet"));

    MagnetJobs(final Daemon daemon, final TrackerClient trackerClient, final Engine engine,
        final Consumer<String> warnings)
    {
        this.daemon = daemon;
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
                    .resolve(link, link.trackers(), new ArrayList<>(link.peers()), METADATA_TIMEOUT_MS);
                torrent.starting(false);
                daemon.metadataArrived(torrent, metainfo, MagnetResolver.torrent(metainfo.rawInfo(), link.trackers()));
            }
            catch (final Exception ex)
            {
                torrent.starting(false);
                torrent.error("metadata: " + ex.getMessage());
            }
        });
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
