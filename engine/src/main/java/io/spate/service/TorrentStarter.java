package io.spate.service;

import io.spate.Engine;
import io.spate.agent.PeerSource;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.dht.DhtNode;
import io.spate.dht.DhtPeerSource;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.storage.TorrentStorage;
import io.spate.tracker.client.TorrentAnnouncer;
import io.spate.tracker.client.TrackerClient;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Brings one torrent into the engine: trusts its resume data when {@link ResumeCheck} does (no re-hash beyond the
 * spot checks), otherwise checks its files in full, then makes its announcer and, with a DHT node and unless it is
 * private (BEP 27), its DHT peer source (the daemon starts both once it keeps the torrent). Runs on the daemon's start
 * threads, several torrents at once; full checks, which use every core, go one at a time ({@link Engine#addTorrent}).
 */
final class TorrentStarter
{
    static final String FAST_RESUME = "fast resume";

    private final Engine engine;
    private final StateDir state;
    private final TrackerClient trackerClient;
    private final ScheduledExecutorService announceScheduler;
    private final Consumer<String> warnings;
    private final DhtNode dht;
    private final Random random = new Random();

    /** @param dht the daemon's DHT node, or null when it is off the DHT. */
    TorrentStarter(final Engine engine, final StateDir state, final TrackerClient trackerClient,
        final ScheduledExecutorService announceScheduler, final Consumer<String> warnings, final DhtNode dht)
    {
        this.engine = engine;
        this.dht = dht;
        this.state = state;
        this.trackerClient = trackerClient;
        this.announceScheduler = announceScheduler;
        this.warnings = warnings;
    }

    /**
     * What a start produced: the running torrent, its announcer (null without trackers) and its DHT peer source (null
     * without a DHT node or for a private torrent); neither started yet.
     */
    record Started(TorrentHandle handle, TorrentAnnouncer announcer, DhtPeerSource dhtPeers)
    {
        /** Stops what {@link #start} made without starting the torrent (it was paused or removed meanwhile). */
        void discard()
        {
            if (dhtPeers != null)
            {
                dhtPeers.close();
            }
            handle.remove().join();
        }
    }

    Started start(final ManagedTorrent torrent, final TorrentListener listener) throws Exception
    {
        final Metainfo metainfo = torrent.metainfo();
        final TorrentEntry entry = torrent.entry();
        final ResumeData restored = torrent.takeRestoredResume();
        final ResumeData resume = restored != null ? restored : state.loadResume(torrent.infoHash());
        final FilePriorities priorities = entry.filePriorities(metainfo);
        final TorrentHandle handle;
        if (resume == null && torrent.resumeNote().equals("new"))
        {
            // just added: whatever is already in the data dir is checked, which is the full check
            handle = engine.addTorrent(metainfo, entry.dataDir(), false, priorities, listener, null);
            torrent.resumed(0, 0, "new");
        }
        else
        {
            final ResumeCheck.Outcome files = ResumeCheck.checkFiles(metainfo, entry.dataDir(), resume, priorities);
            ResumeCheck.Outcome outcome = files;
            TorrentHandle trusted = null;
            if (files.verified() != null)
            {
                // the files match: opened once, for the spot checks and then the engine (which closes them)
                final TorrentStorage storage = TorrentStorage.open(metainfo, entry.dataDir(), true, priorities);
                outcome = ResumeCheck.spotCheck(storage, files.verified(), random);
                if (outcome.verified() != null)
                {
                    trusted = engine.addTorrent(storage, outcome.verified(), priorities, listener);
                }
                else
                {
                    storage.close();
                }
            }
            if (trusted != null)
            {
                handle = trusted;
                torrent.resumed(outcome.spotChecked(), outcome.spotChecked(), FAST_RESUME);
            }
            else
            {
                handle = engine.addTorrent(metainfo, entry.dataDir(), false, priorities, listener, null);
                torrent.resumed(outcome.spotChecked() + metainfo.pieceCount(), outcome.spotChecked(),
                    "full check: " + outcome.reason());
            }
        }
        final List<URI> trackers = trackers(metainfo);
        final TorrentAnnouncer announcer = trackers.isEmpty() ? null : new TorrentAnnouncer(trackerClient, handle,
            trackers, engine.peerId(), engine.listenAddress().getPort(), announceScheduler,
            message -> warnings.accept(metainfo.name() + ": " + message));
        // a lookup that ends after the torrent stopped (paused, removed) has nobody to hand its peers to
        final DhtPeerSource dhtPeers = dht == null || metainfo.isPrivate() ? null : DhtPeerSource.forTorrent(dht,
            metainfo.infoHash(), false, engine.listenAddress().getPort(), announceScheduler, peers ->
            {
                if (torrent.handle() == handle)
                {
                    handle.addPeers(peers, PeerSource.DHT);
                }
            });
        return new Started(handle, announcer, dhtPeers);
    }

    /** The torrent's http, https and udp trackers; others (wss, malformed) are skipped as the CLI skips them. */
    static List<URI> trackers(final Metainfo metainfo)
    {
        final List<URI> uris = new ArrayList<>();
        for (final String url : metainfo.trackers())
        {
            try
            {
                final URI uri = new URI(url);
                final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) && !uris.contains(uri))
                {
                    uris.add(uri);
                }
            }
            catch (final URISyntaxException ignored)
            {
                // a malformed tracker in a torrent is not fatal
            }
        }
        return uris;
    }
}
