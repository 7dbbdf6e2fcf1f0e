package io.spate.service;

import io.spate.Context;
import io.spate.Engine;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.dht.Contact;
import io.spate.dht.DhtConfig;
import io.spate.dht.DhtNode;
import io.spate.dht.DhtPeerSource;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.client.TorrentAnnouncer;
import io.spate.tracker.client.TrackerClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The daemon: one {@link Engine} running any number of torrents, added, paused, resumed and removed while it runs,
 * with its state in a {@link StateDir} that survives restarts (fast resume through {@link ResumeCheck}). With a DHT
 * node every public torrent also finds peers and announces itself there, and the node's id and the nodes it knows are
 * saved in the state dir (every few minutes and at shutdown) to rejoin through at the next start. Commands
 * come from any thread (the API's workers); they take the daemon's lock only to change the registry, never while
 * hashing, draining a torrent or announcing.
 */
public final class Daemon implements AutoCloseable
{
    private static final long STOP_TIMEOUT_MS = 30_000;
    /** The DHT's nodes are first saved this long after the start (the table has filled by then), then every period. */
    private static final long DHT_FIRST_SAVE_MS = 60_000;
    private static final long DHT_SAVE_EVERY_MS = 300_000;

    private final StateDir state;
    private final Engine engine;
    /** The DHT node, or null when the daemon is off the DHT. */
    private final DhtNode dht;
    /** Whether the DHT nodes file holds nodes: an empty table (a network outage) does not overwrite them. */
    private boolean dhtFileHasNodes;
    /** Held while the DHT nodes file is written (by the resume thread, or at shutdown). */
    private final Object dhtSave = new Object();
    private final Consumer<String> warnings;
    private final TrackerClient trackerClient = new TrackerClient(Duration.ofSeconds(10));
    private final ServiceThreads threads = new ServiceThreads();
    private final Map<String, ManagedTorrent> torrents = new LinkedHashMap<>();
    /**
     * The newest add stamp: each add is stamped at least 1 ms after the one before, so the stamps order the torrents
     * as they were added, which the restart's parallel reads do not (they put torrents in whatever order they finish).
     */
    private long lastAddedAtMs;
    private final TorrentStarter starter;
    private final ResumeSaver saver;
    private final MagnetJobs magnets;
    private final long startedAtMs = System.currentTimeMillis();
    private volatile Settings settings;
    private volatile LimitsListener limits = LimitsListener.NONE;
    private boolean closed;

    private Daemon(final DaemonConfig config, final StateDir state, final Engine engine, final DhtNode dht,
        final boolean dhtFileHasNodes, final Consumer<String> warnings) throws IOException
    {
        this.state = state;
        this.engine = engine;
        this.dht = dht;
        this.dhtFileHasNodes = dhtFileHasNodes;
        this.warnings = warnings;
        this.settings = state.loadSettings();
        this.starter = new TorrentStarter(engine, state, trackerClient, threads.announces, warnings, dht);
        this.saver = new ResumeSaver(state, warnings);
        this.magnets = new MagnetJobs(this, trackerClient, engine, warnings, dht);
        threads.resume.scheduleWithFixedDelay(() -> saver.saveChanged(snapshot()), config.saveEveryMs(),
            config.saveEveryMs(), TimeUnit.MILLISECONDS);
        if (dht != null)
        {
            threads.resume.scheduleWithFixedDelay(this::saveDhtNodes, DHT_FIRST_SAVE_MS, DHT_SAVE_EVERY_MS,
                TimeUnit.MILLISECONDS);
        }
    }

    /** Launches the engine and brings back every torrent of the state dir (paused ones stay paused). */
    public static Daemon start(final DaemonConfig config, final Consumer<String> warnings) throws IOException
    {
        final StateDir state = new StateDir(config.stateDir());
        state.apiToken();
        final Context ctx = new Context().port(config.peerPort()).bindAddress(config.peerBind());
        if (config.threads() > 0)
        {
            ctx.threads(config.threads());
        }
        final Engine engine = Engine.launch(ctx);
        DhtNode dht = null;
        final Daemon daemon;
        try
        {
            final DhtNodesFile.Saved saved = config.dht() == null ? null :
                DhtNodesFile.load(state.dhtNodesFile(), warnings);
            dht = startDht(config.dht(), saved);
            if (dht != null)
            {
                ctx.dhtLink().attach(dht); // the handshake's DHT bit and PORT messages (BEP 5) from now on
            }
            daemon = new Daemon(config, state, engine, dht, saved != null && !saved.nodes().isEmpty(), warnings);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (dht != null)
            {
                dht.close();
            }
            engine.close();
            throw ex;
        }
        daemon.limitsListener(new EngineLimits(engine));
        daemon.restore();
        return daemon;
    }

    /** Starts the DHT node with the id and nodes saved by the last run (when they could be read), or returns null. */
    private static DhtNode startDht(final DhtConfig config, final DhtNodesFile.Saved saved) throws IOException
    {
        if (config == null)
        {
            return null;
        }
        if (saved != null)
        {
            config.nodeId(saved.id()).savedNodes(saved.nodes());
        }
        try
        {
            return DhtNode.start(config);
        }
        catch (final IOException ex)
        {
            throw new IOException("--dht-port " + config.bind().getPort() + ": " + ex.getMessage(), ex);
        }
    }

    private void restore() throws IOException
    {
        StateRestore.torrents(state, warnings, torrent ->
        {
            synchronized (this)
            {
                torrents.put(torrent.infoHash(), torrent);
                scheduleStart(torrent);
            }
        });
        synchronized (this)
        {
            final List<ManagedTorrent> added = new ArrayList<>(torrents.values());
            added.sort(Comparator.comparingLong((ManagedTorrent t) -> t.entry().addedAtMs())
                .thenComparing(ManagedTorrent::infoHash));
            torrents.clear();
            for (final ManagedTorrent torrent : added)
            {
                torrents.put(torrent.infoHash(), torrent);
                lastAddedAtMs = Math.max(lastAddedAtMs, torrent.entry().addedAtMs());
            }
        }
    }

    public StateDir state()
    {
        return state;
    }

    public Engine engine()
    {
        return engine;
    }

    /** @return the DHT node, or null when the daemon is off the DHT. */
    public DhtNode dht()
    {
        return dht;
    }

    public long startedAtMs()
    {
        return startedAtMs;
    }

    /** @return the torrents in the order they were added. */
    public synchronized List<ManagedTorrent> snapshot()
    {
        return new ArrayList<>(torrents.values());
    }

    /** @throws ServiceException 404 when no torrent has this info-hash. */
    public synchronized ManagedTorrent get(final String infoHash)
    {
        final ManagedTorrent torrent = torrents.get(infoHash.toLowerCase(java.util.Locale.ROOT));
        if (torrent == null)
        {
            throw ServiceException.notFound(infoHash);
        }
        return torrent;
    }

    /**
     * Registers a torrent (in the state dir first, so it survives a crash from here on) and starts it unless
     * paused.
     *
     * @throws ServiceException 400 for a bad source, 409 when the info-hash is already added.
     */
    public ManagedTorrent add(final AddRequest request) throws IOException
    {
        final AddRequest.Source source = request.parse();
        final io.spate.metainfo.FilePriorities priorities = request.priorities(source);
        synchronized (this)
        {
            checkOpen();
            lastAddedAtMs = Math.max(System.currentTimeMillis(), lastAddedAtMs + 1);
            final TorrentEntry entry = new TorrentEntry(source.infoHash(), request.dataDir(state), request.paused(),
                lastAddedAtMs, 0, 0, source.magnet() == null ? null : source.magnet().toUri(),
                priorities == null ? null : priorities.toList(), request.sequential());
            if (torrents.containsKey(entry.infoHash()))
            {
                throw new ServiceException(ServiceException.CONFLICT, "torrent " + entry.infoHash() +
                    " is already added");
            }
            state.saveTorrent(entry, source.bytes());
            final ManagedTorrent torrent = new ManagedTorrent(entry, source.metainfo());
            torrents.put(entry.infoHash(), torrent);
            scheduleStart(torrent);
            return torrent;
        }
    }

    /** Stops a torrent (waiting until its files are closed), forgets it, and deletes its data when asked. */
    public void remove(final String infoHash, final boolean deleteData) throws Exception
    {
        final ManagedTorrent torrent;
        synchronized (this)
        {
            torrent = get(infoHash);
            torrents.remove(torrent.infoHash());
            torrent.nextGeneration();
            state.deleteTorrent(torrent.infoHash());
        }
        stop(torrent, false);
        if (deleteData && torrent.metainfo() != null)
        {
            TorrentFiles.delete(torrent.metainfo(), torrent.entry().dataDir());
        }
    }

    /** Stops a torrent and keeps it stopped across restarts; its resume data is written as it stops. */
    public void pause(final String infoHash) throws Exception
    {
        final ManagedTorrent torrent;
        synchronized (this)
        {
            torrent = get(infoHash);
            if (torrent.entry().paused())
            {
                return;
            }
            torrent.entry(torrent.entry().withPaused(true));
            torrent.nextGeneration();
            state.saveEntry(torrent.entry());
        }
        stop(torrent, true);
    }

    /** Starts a paused or failed torrent again (from its resume data when its files still match). */
    public synchronized void resume(final String infoHash) throws IOException
    {
        final ManagedTorrent torrent = get(infoHash);
        if (torrent.handle() != null || torrent.starting())
        {
            return;
        }
        torrent.entry(torrent.entry().withPaused(false));
        torrent.error(null);
        state.saveEntry(torrent.entry());
        scheduleStart(torrent);
    }

    /**
     * Asks the torrent's trackers for peers now, and the DHT when it is on (409 when it is not running or has neither).
     */
    public void reannounce(final String infoHash)
    {
        final ManagedTorrent torrent = get(infoHash);
        final TorrentAnnouncer announcer = torrent.announcer();
        final DhtPeerSource dhtPeers = torrent.dhtPeers();
        if (torrent.handle() == null || announcer == null && dhtPeers == null)
        {
            throw new ServiceException(ServiceException.CONFLICT, "torrent " + torrent.infoHash() +
                (torrent.handle() == null ? " is not running" : " has no http, https or udp tracker and no DHT"));
        }
        if (announcer != null)
        {
            announcer.announceNow();
        }
        if (dhtPeers != null)
        {
            dhtPeers.lookupNow();
        }
    }

    /** Switches a torrent between in-order (streaming) and rarest-first picking, at once and across restarts. */
    public synchronized ManagedTorrent sequential(final String infoHash, final boolean sequential) throws IOException
    {
        final ManagedTorrent torrent = get(infoHash);
        torrent.entry(torrent.entry().withSequential(sequential));
        state.saveEntry(torrent.entry());
        if (torrent.handle() != null)
        {
            torrent.handle().sequential(sequential);
        }
        return torrent;
    }

    public Settings settings()
    {
        return settings;
    }

    public synchronized Settings updateSettings(final Settings updated) throws IOException
    {
        state.saveSettings(updated);
        settings = updated;
        limits.globalLimits(updated);
        return updated;
    }

    /** Sets who enforces the rate limits; it is told the global ones now and every running torrent's. */
    public void limitsListener(final LimitsListener listener)
    {
        limits = listener;
        listener.globalLimits(settings);
        for (final ManagedTorrent torrent : snapshot())
        {
            if (torrent.handle() != null)
            {
                listener.torrentLimits(torrent);
            }
        }
    }

    /** Sets a torrent's own rate limits (bytes/s, 0 for none), persisted with it. */
    public synchronized ManagedTorrent limit(final String infoHash, final long upload, final long download)
        throws IOException
    {
        Settings.checkRate("upload_limit", upload);
        Settings.checkRate("download_limit", download);
        final ManagedTorrent torrent = get(infoHash);
        torrent.entry(torrent.entry().withLimits(upload, download));
        state.saveEntry(torrent.entry());
        if (torrent.handle() != null)
        {
            limits.torrentLimits(torrent);
        }
        return torrent;
    }

    /**
     * Sets a torrent's file priorities (0 skips a file, 1..7), persisted with it and applied at once when it runs: a
     * skipped file wanted again gets its bytes from the part file and the rest is fetched.
     *
     * @throws ServiceException 404 unknown info-hash, 409 while a magnet link awaits its metadata.
     */
    public ManagedTorrent filePriorities(final String infoHash, final FileSelectionUpdate update) throws Exception
    {
        final ManagedTorrent torrent;
        final io.spate.metainfo.FilePriorities priorities;
        synchronized (this)
        {
            torrent = get(infoHash);
            if (torrent.metainfo() == null)
            {
                throw new ServiceException(ServiceException.CONFLICT, "torrent " + torrent.infoHash() +
                    " has no metadata yet: its files are not known");
            }
            priorities = update.applyTo(torrent.entry().filePriorities(torrent.metainfo()), torrent.metainfo());
            torrent.entry(torrent.entry().withFilePriorities(priorities.toList()));
            state.saveEntry(torrent.entry());
        }
        final TorrentHandle handle = torrent.handle();
        if (handle != null)
        {
            handle.filePriorities(priorities).get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        return torrent;
    }

    /** Called by {@link MagnetJobs} when a magnet link's info dictionary arrived: saved, then the torrent starts. */
    synchronized void metadataArrived(final ManagedTorrent torrent, final Metainfo metainfo, final byte[] bytes)
        throws IOException
    {
        if (torrents.get(torrent.infoHash()) != torrent)
        {
            return; // removed meanwhile
        }
        torrent.entry(torrent.entry().withoutMagnet());
        state.saveTorrent(torrent.entry(), bytes);
        torrent.metainfo(metainfo);
        scheduleStart(torrent);
    }

    private void scheduleStart(final ManagedTorrent torrent)
    {
        if (torrent.entry().paused() || closed)
        {
            return;
        }
        if (torrent.metainfo() == null)
        {
            magnets.resolve(torrent);
            return;
        }
        torrent.starting(true);
        final long generation = torrent.generation();
        threads.starts.execute(() -> runStart(torrent, generation));
    }

    private void runStart(final ManagedTorrent torrent, final long generation)
    {
        TorrentStarter.Started started = null;
        try
        {
            if (torrent.generation() == generation)
            {
                started = starter.start(torrent, listener(torrent));
            }
        }
        catch (final Exception ex)
        {
            torrent.error(ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
        final boolean keep;
        synchronized (this)
        {
            torrent.starting(false);
            keep = started != null && torrent.generation() == generation && !closed;
            if (keep)
            {
                if (torrent.resumeNote().equals(TorrentStarter.FAST_RESUME))
                {
                    // its resume data holds exactly this, known before it runs: the periodic save (which writes a
                    // running torrent whose bytes differ from the saved ones) must not rewrite it meanwhile. Set on
                    // the resume thread after running(), 3,000 seeds restarting had their files rewritten (two
                    // fsyncs each) while they started (async-profiler, perf-results/service/seedbox.md)
                    torrent.savedVerifiedBytes = started.handle().stats().verifiedBytes.get();
                }
                torrent.running(started.handle(), started.announcer(), started.dhtPeers());
                if (torrent.entry().sequential())
                {
                    started.handle().sequential(true); // under the lock: a toggle meanwhile is not undone
                }
            }
        }
        if (keep)
        {
            limits.torrentLimits(torrent);
            if (started.announcer() != null)
            {
                started.announcer().start();
            }
            if (started.dhtPeers() != null)
            {
                started.dhtPeers().start();
            }
            if (!torrent.resumeNote().equals(TorrentStarter.FAST_RESUME))
            {
                threads.resume.execute(() -> saver.save(torrent));
            }
        }
        else if (started != null)
        {
            started.discard(); // paused or removed while it started
        }
    }

    private TorrentListener listener(final ManagedTorrent torrent)
    {
        return new TorrentListener()
        {
            @Override
            public void onComplete()
            {
                threads.resume.execute(() -> saver.save(torrent));
            }

            @Override
            public void onError(final String message)
            {
                torrent.error(message);
            }

            @Override
            public void onWarning(final String message)
            {
                try
                {
                    threads.resume.execute(() -> warnings.accept(torrent.infoHash() + ": " + message));
                }
                catch (final java.util.concurrent.RejectedExecutionException ex)
                {
                    // the daemon is closing: nobody to tell
                }
            }
        };
    }

    /**
     * Stops a running torrent: tells its trackers, ends its DHT rounds, drains and closes its files, then writes its
     * resume data.
     */
    private void stop(final ManagedTorrent torrent, final boolean saveResume) throws Exception
    {
        final TorrentHandle handle = detach(torrent);
        if (handle == null)
        {
            return;
        }
        final java.util.BitSet verified = handle.verifiedPieces().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        handle.remove().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (saveResume)
        {
            saver.saveAtStop(torrent, verified);
        }
    }

    /**
     * Takes a torrent off the running ones: tells its trackers (on the announce threads: the stopped announce must not
     * hold up the disk) and ends its DHT rounds.
     *
     * @return its handle, still running on its agent, or null when it was not running.
     */
    private TorrentHandle detach(final ManagedTorrent torrent)
    {
        final TorrentHandle handle;
        final TorrentAnnouncer announcer;
        final DhtPeerSource dhtPeers;
        synchronized (this)
        {
            handle = torrent.handle();
            announcer = torrent.announcer();
            dhtPeers = torrent.dhtPeers();
            torrent.running(null, null, null);
        }
        if (dhtPeers != null)
        {
            dhtPeers.close();
        }
        if (announcer != null)
        {
            threads.announces.execute(announcer::close);
        }
        return handle;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new ServiceException(503, "the daemon is stopping");
        }
    }

    /**
     * Writes the DHT node's id and the nodes that answered it (good ones first) to the state dir; an empty table does
     * not replace nodes saved before. Runs on the resume thread, and at shutdown.
     */
    private void saveDhtNodes()
    {
        final Path file = state.dhtNodesFile();
        try
        {
            final List<Contact> nodes = dht.nodes().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            synchronized (dhtSave)
            {
                if (nodes.isEmpty() && dhtFileHasNodes)
                {
                    return;
                }
                DhtNodesFile.save(file, dht.id(), nodes);
                dhtFileHasNodes = !nodes.isEmpty();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Exception ex)
        {
            warnings.accept(file + ": cannot save the DHT nodes: " + (ex.getMessage() == null ? ex.toString() :
                ex.getMessage()));
        }
    }

    /**
     * Stops every torrent, all together ({@link TorrentStops}), writing the resume data that changed, then saves the
     * DHT nodes and closes the node and the engine.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        magnets.close();
        saver.closing();
        threads.stopStartsAndResume();
        final List<TorrentStops.Detached> running = new ArrayList<>();
        for (final ManagedTorrent torrent : snapshot())
        {
            final TorrentHandle handle = detach(torrent);
            if (handle != null)
            {
                running.add(new TorrentStops.Detached(torrent, handle));
            }
        }
        TorrentStops.stopAll(running, saver, warnings, STOP_TIMEOUT_MS);
        if (dht != null)
        {
            saveDhtNodes();
            dht.close();
        }
        threads.stopAnnounces();
        engine.close();
    }
}
