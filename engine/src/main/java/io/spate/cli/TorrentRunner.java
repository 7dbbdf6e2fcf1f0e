package io.spate.cli;

import io.spate.Context;
import io.spate.Engine;
import io.spate.RingSizing;
import io.spate.agent.PeerSource;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.dht.DhtNode;
import io.spate.dht.DhtPeerSource;
import io.spate.magnet.MagnetLink;
import io.spate.magnet.MagnetResolver;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.PieceSha1;
import io.spate.tracker.client.HttpPreload;
import io.spate.tracker.client.TorrentAnnouncer;
import io.spate.tracker.client.TrackerClient;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one torrent from the command line, for {@code seed} and {@code leech}: engine, tracker announces, progress
 * output, and a clean stop on SIGTERM or Ctrl-C (announce {@code stopped}, close the files, exit 0).
 */
final class TorrentRunner
{
    private final PrintWriter out;
    private final PrintWriter err;
    private final PeerOptions options;
    /** The .torrent to run, or null when {@link #magnet} is given. */
    private final Path torrentFile;
    private final MagnetLink magnet;
    private final long metadataTimeoutMs;
    private final boolean seed;
    private final boolean exitWhenDone;
    /** One for the magnet resolution and the announcer: a UDP tracker's socket and connection id serve both. */
    private final TrackerClient trackerClient = new TrackerClient(Duration.ofSeconds(10));
    /** --select-files and --file-priority, or null. */
    private FileSelectionOptions selection;
    /** With --dht-port: peers from the DHT for a magnet's metadata and for the torrent (never a private one). */
    private DhtNode dht;

    TorrentRunner(final PrintWriter out, final PrintWriter err, final PeerOptions options, final Path torrentFile,
        final MagnetLink magnet, final long metadataTimeoutMs, final boolean seed, final boolean exitWhenDone)
    {
        this.magnet = magnet;
        this.metadataTimeoutMs = metadataTimeoutMs;
        this.out = out;
        this.err = err;
        this.options = options;
        this.torrentFile = torrentFile;
        this.seed = seed;
        this.exitWhenDone = exitWhenDone;
    }

    /** Downloads only the files these options want. */
    TorrentRunner selectFiles(final FileSelectionOptions selection)
    {
        this.selection = selection;
        return this;
    }

    int run() throws Exception
    {
        validate();
        final long startNs = System.nanoTime();
        final Context ctx = new Context().port(options.port()).seedChoking(options.seedChoking())
            .superSeed(options.superSeed()).freeRider(options.freeRider())
            .sequential(options.sequential()).maxUploadRate(options.maxUploadRate())
            .maxDownloadRate(options.maxDownloadRate());
        if (options.bind() != null)
        {
            ctx.bindAddress(InetAddress.getByName(options.bind()));
        }
        if (options.threads() != null)
        {
            ctx.threads(options.threads());
        }
        if (seed && System.getProperty(Context.RING_SIZE_PROP) == null)
        {
            ctx.ringSize(RingSizing.forSeed(ctx.threads())); // a seed receives nothing while its data is whole
        }
        // The engine's start (ring, agents, selectors, listening socket: ~0.15 s, mostly first-time class loading)
        // needs nothing from the torrent, so it runs beside the .torrent's parse and info-hash on a second core.
        final CompletableFuture<Engine> launching = launchInBackground(ctx);
        final Metainfo metainfo;
        final List<URI> trackers;
        final List<InetSocketAddress> directPeers;
        final io.spate.metainfo.FilePriorities priorities;
        try
        {
            dht = CliDht.start(options);
            if (dht != null)
            {
                ctx.dhtLink().attach(dht); // the handshake's DHT bit and PORT messages from now on
            }
            directPeers = directPeers();
            metainfo = magnet == null ? Metainfo.load(torrentFile) : resolve(magnet, directPeers, launching);
            PieceSha1.loadFor(metainfo.totalLength()); // beside the engine's start, when the torrent repays it
            if (magnet != null)
            {
                for (final InetSocketAddress peer : magnet.peers())
                {
                    directPeers.add(new InetSocketAddress(peer.getHostString(), peer.getPort())); // x.pe: dial too
                }
            }
            trackers = options.noTracker() ? List.of() : trackers(metainfo);
            priorities = selection == null ? null : selection.resolve(metainfo.files().size());
        }
        catch (final Exception | Error ex)
        {
            closeWhenLaunched(launching);
            closeDht();
            throw ex;
        }
        final Progress progress = new Progress(out, err, options.json(), System.console() != null,
            metainfo);
        final CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);

        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "spate-control");
            t.setDaemon(true);
            return t;
        });
        preloadHttp(trackers, launching);
        try (Engine engine = awaitLaunch(launching))
        {
            metainfo.warnings().forEach(progress::warning);
            final PeerLog peerLog = options.json() ? new PeerLog() : null;
            final TorrentHandle torrent = engine.addTorrent(metainfo, options.dir(), seed, priorities,
                new TorrentListener()
            {
                @Override
                public void onWarning(final String message)
                {
                    try
                    {
                        scheduler.execute(() -> progress.warning(message)); // from the agent's thread: hand off
                    }
                    catch (final java.util.concurrent.RejectedExecutionException ex)
                    {
                        // stopping: the warning no longer matters
                    }
                }

                @Override
                public void onPeerClosed(final java.net.InetSocketAddress remote, final long downloaded,
                    final long uploaded, final String reason)
                {
                    if (peerLog != null)
                    {
                        peerLog.onPeerClosed(remote, downloaded, uploaded, reason);
                    }
                }
            }, null);
            final int port = engine.listenAddress().getPort();
            // announce and dial first: the first connections wait for them, the started line need not
            final TorrentAnnouncer announcer = trackers.isEmpty() ? null : new TorrentAnnouncer(
                trackerClient, torrent, trackers, engine.peerId(), port, scheduler,
                progress::warning);
            if (announcer != null)
            {
                announcer.start();
            }
            if (dht != null && metainfo.isPrivate())
            {
                progress.warning("private torrent: the DHT is not used (BEP 27)");
            }
            final DhtPeerSource dhtPeers = dht == null || metainfo.isPrivate() ? null :
                DhtPeerSource.forTorrent(dht, metainfo.infoHash(), false, port, scheduler,
                    peers -> torrent.addPeers(peers, PeerSource.DHT));
            if (dhtPeers != null)
            {
                dhtPeers.start();
            }
            if (!directPeers.isEmpty())
            {
                torrent.addPeers(directPeers);
            }
            progress.started(torrent, port, startNs);
            torrent.failure().thenRun(stop::countDown);
            torrent.completion().thenRun(() ->
            {
                progress.complete(torrent, startNs);
                if (exitWhenDone)
                {
                    stop.countDown();
                }
            });
            final long periodMs = Math.max(100, (long)(options.progressInterval() * 1000));
            scheduler.scheduleAtFixedRate(() ->
            {
                if (peerLog != null)
                {
                    peerLog.drainTo(progress);
                }
                progress.progress(torrent);
            }, periodMs, periodMs, TimeUnit.MILLISECONDS);

            stop.await();
            scheduler.shutdownNow();
            if (announcer != null)
            {
                announcer.close();
            }
            if (dhtPeers != null)
            {
                dhtPeers.close();
            }
            torrent.remove().get(); // flushes and closes the files: as long as the disk takes, like engine close
            final String failure = torrent.failure().getNow(null);
            if (failure != null)
            {
                progress.error(failure);
                return Main.EXIT_RUNTIME_ERROR;
            }
            if (peerLog != null)
            {
                peerLog.drainTo(progress);
            }
            progress.stopped(torrent, startNs);
            return Main.EXIT_OK;
        }
        finally
        {
            scheduler.shutdownNow();
            closeDht();
        }
    }

    private void closeDht()
    {
        if (dht != null)
        {
            dht.close();
        }
    }

    /**
     * The torrent behind a magnet link: its info dictionary from peers (BEP 9), found through the link's trackers
     * and the user's, the link's x.pe peers and --peer. Needs the engine's port and peer id, so it waits for the
     * launch (which runs meanwhile).
     */
    private Metainfo resolve(final MagnetLink link, final List<InetSocketAddress> directPeers,
        final CompletableFuture<Engine> launching) throws Exception
    {
        final List<URI> trackers = new ArrayList<>();
        if (!options.noTracker())
        {
            for (final String url : options.trackers())
            {
                trackers.add(parseTracker(url, "--tracker"));
            }
            for (final URI uri : link.trackers())
            {
                if (!trackers.contains(uri))
                {
                    trackers.add(uri); // http, https or udp: MagnetLink took no other
                }
            }
        }
        final List<InetSocketAddress> peers = new ArrayList<>(link.peers());
        peers.addAll(directPeers);
        if (trackers.isEmpty() && peers.isEmpty() && dht == null)
        {
            throw new UsageException("the magnet link names no tracker and no x.pe peer: give --tracker, " +
                "--peer or --dht-port");
        }
        final Engine engine = awaitLaunch(launching);
        // warnings only: the torrent's name and size come with the metadata
        final Progress early = new Progress(out, err, options.json(), System.console() != null, null);
        return new MagnetResolver(trackerClient, engine.peerId(),
            engine.listenAddress().getPort(), early::warning).resolve(link, trackers, peers,
            infoHash -> dht == null ? List.of() : CliDht.peers(dht, infoHash), metadataTimeoutMs);
    }

    /**
     * While the engine still starts on its thread, this one would wait: it does the first HTTP announce's first-time
     * work meanwhile (HttpPreload), off the path from the engine's start to the first peer.
     */
    private static void preloadHttp(final List<URI> trackers, final CompletableFuture<Engine> launching)
    {
        if (launching.isDone())
        {
            return;
        }
        for (final URI uri : trackers)
        {
            if (HttpPreload.prepare(uri))
            {
                return;
            }
        }
    }

    private static CompletableFuture<Engine> launchInBackground(final Context ctx)
    {
        final CompletableFuture<Engine> launching = new CompletableFuture<>();
        final Thread starter = new Thread(() ->
        {
            try
            {
                launching.complete(Engine.launch(ctx));
            }
            catch (final Throwable t)
            {
                launching.completeExceptionally(t);
            }
        }, "spate-engine-start");
        starter.setDaemon(true);
        starter.start();
        return launching;
    }

    /** The launched engine, or what its launch threw (a port already taken is named). */
    private Engine awaitLaunch(final CompletableFuture<Engine> launching) throws Exception
    {
        try
        {
            return launching.get();
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof java.net.BindException)
            {
                throw new java.io.IOException("port " + options.port() + ": " + cause.getMessage(), cause);
            }
            if (cause instanceof Exception e)
            {
                throw e;
            }
            throw (Error)cause;
        }
    }

    /** The torrent failed before the engine was used: close the engine once its launch ends, whatever it did. */
    private static void closeWhenLaunched(final CompletableFuture<Engine> launching)
    {
        try
        {
            launching.get().close();
        }
        catch (final Exception | Error ignored)
        {
            // the torrent's error is the one reported
        }
    }

    private void validate()
    {
        if (options.port() < 0 || options.port() > 65535)
        {
            throw new UsageException("--port must be 0..65535, got " + options.port());
        }
        if (options.threads() != null && (options.threads() < 1 || options.threads() > 256))
        {
            throw new UsageException("--threads must be 1..256, got " + options.threads());
        }
        if (!(options.progressInterval() > 0))
        {
            throw new UsageException("--progress-interval must be positive");
        }
        CliDht.validate(options);
        try
        {
            PieceSha1.checkProperties();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    private List<URI> trackers(final Metainfo metainfo)
    {
        final List<URI> uris = new ArrayList<>();
        for (final String url : options.trackers())
        {
            uris.add(parseTracker(url, "--tracker"));
        }
        for (final String url : metainfo.trackers())
        {
            try
            {
                final URI uri = parseTracker(url, "torrent");
                if (!uris.contains(uri))
                {
                    uris.add(uri);
                }
            }
            catch (final UsageException ex)
            {
                // a torrent's wss:// or malformed tracker is skipped, not fatal
            }
        }
        return uris;
    }

    private URI parseTracker(final String url, final String source)
    {
        try
        {
            final URI uri = new URI(url);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("udp"))
            {
                throw new UsageException(source + ": only http, https and udp trackers are supported: " + url);
            }
            return uri;
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new UsageException(source + ": not a URL: " + url);
        }
    }

    private List<InetSocketAddress> directPeers()
    {
        final List<InetSocketAddress> peers = new ArrayList<>();
        for (final String peer : options.peers())
        {
            final int colon = peer.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new UsageException("--peer must be HOST:PORT, got " + peer);
            }
            final String host = peer.substring(0, colon).replace("[", "").replace("]", "");
            final int port;
            try
            {
                port = Integer.parseInt(peer.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageException("--peer: bad port in " + peer);
            }
            if (port < 1 || port > 65535)
            {
                throw new UsageException("--peer: port must be 1..65535 in " + peer);
            }
            peers.add(new InetSocketAddress(host, port));
        }
        return peers;
    }
}
