package io.spate.testing;

import io.spate.Context;
import io.spate.Engine;
import io.spate.ThreadingMode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.client.TorrentAnnouncer;
import io.spate.tracker.client.TrackerClient;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An in-process swarm on loopback: a real Spate tracker and any number of engines (shared threading mode, one
 * network agent each), each announcing through the tracker. Closes everything it started.
 */
public final class Swarm implements AutoCloseable
{
    private final HttpTrackerServer tracker;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r ->
    {
        final Thread t = new Thread(r, "swarm-control");
        t.setDaemon(true);
        return t;
    });
    private final TrackerClient client = new TrackerClient(Duration.ofSeconds(5));
    private final List<Peer> peers = new ArrayList<>();

    /** One engine running one torrent, and its announcer. */
    public record Peer(Engine engine, TorrentHandle torrent, TorrentAnnouncer announcer, Path dir)
    {
        public InetSocketAddress address() throws java.io.IOException
        {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.listenAddress().getPort());
        }
    }

    public Swarm() throws Exception
    {
        this.tracker = new HttpTrackerServer(TrackerConfig.withInterval(2),
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).start();
    }

    public String announceUrl()
    {
        return "http://127.0.0.1:" + tracker.port() + "/announce";
    }

    public HttpTrackerServer tracker()
    {
        return tracker;
    }

    public Peer seed(final Metainfo metainfo, final Path dir) throws Exception
    {
        return start(metainfo, dir, true);
    }

    public Peer leech(final Metainfo metainfo, final Path dir) throws Exception
    {
        return start(metainfo, dir, false);
    }

    public Peer start(final Metainfo metainfo, final Path dir, final boolean seedOnly) throws Exception
    {
        return start(metainfo, dir, seedOnly, URI.create(announceUrl()));
    }

    /** As {@link #start(Metainfo, Path, boolean)}, announcing to {@code tracker} instead of this swarm's own. */
    public Peer start(final Metainfo metainfo, final Path dir, final boolean seedOnly, final URI tracker)
        throws Exception
    {
        final Engine engine = Engine.launch(new Context()
            .bindAddress(InetAddress.getLoopbackAddress())
            .port(0)
            .threads(1)
            .threadingMode(ThreadingMode.SHARED)
            .ringSize(256)
            .diskHandlers(1));
        try
        {
            final TorrentHandle torrent = engine.addTorrent(metainfo, dir, seedOnly, TorrentListener.NONE, null);
            final TorrentAnnouncer announcer = new TorrentAnnouncer(client, torrent, List.of(tracker),
                engine.peerId(), engine.listenAddress().getPort(), scheduler, w -> { });
            announcer.start();
            final Peer peer = new Peer(engine, torrent, announcer, dir);
            synchronized (peers)
            {
                peers.add(peer);
            }
            return peer;
        }
        catch (final Exception ex)
        {
            engine.close();
            throw ex;
        }
    }

    /** Stops one peer: announces stopped, closes its engine. */
    public void stop(final Peer peer)
    {
        synchronized (peers)
        {
            if (!peers.remove(peer))
            {
                return;
            }
        }
        peer.announcer().close();
        peer.engine().close();
    }

    @Override
    public void close()
    {
        final List<Peer> all;
        synchronized (peers)
        {
            all = new ArrayList<>(peers);
        }
        for (final Peer peer : all)
        {
            stop(peer);
        }
        scheduler.shutdownNow();
        tracker.close();
    }
}
