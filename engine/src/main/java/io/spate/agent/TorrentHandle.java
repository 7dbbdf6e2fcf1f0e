package io.spate.agent;

import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.webseed.WebSeedClient;
import io.spate.webseed.WebSeedState;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The control path's view of a torrent running on a network agent: its figures, its completion, and commands that
 * reach the owning agent through its queue. Safe to use from any thread.
 */
public final class TorrentHandle
{
    /** Bound on waiting for the disk handlers at removal (a hung disk must not hang the caller forever). */
    private static final long DRAIN_TIMEOUT_NS = 30_000_000_000L;

    private final NetworkAgent agent;
    private final TorrentSession session;
    private final TorrentStats stats;
    private final CompletableFuture<Void> completion;
    private final CompletableFuture<String> failure;
    private final Runnable release;
    private final WebSeedClient webSeeds;
    private final java.util.concurrent.Executor drains;

    /**
     * @param webSeeds the client that fetches from the torrent's web seeds, or null when it has none.
     * @param release  frees what the torrent holds outside the agent (its id, its files); run once, after removal.
     * @param drains   where the removal waits for the disk and runs {@code release}: never the agent's thread.
     */
    TorrentHandle(final NetworkAgent agent, final TorrentSession session, final TorrentStats stats,
        final CompletableFuture<Void> completion, final CompletableFuture<String> failure,
        final WebSeedClient webSeeds, final Runnable release, final java.util.concurrent.Executor drains)
    {
        this.webSeeds = webSeeds;
        this.release = release;
        this.drains = drains;
        this.agent = agent;
        this.session = session;
        this.stats = stats;
        this.completion = completion;
        this.failure = failure;
    }

    /** @return the agent that owns the torrent (tests reach it to post commands). */
    NetworkAgent agent()
    {
        return agent;
    }

    public Metainfo metainfo()
    {
        return session.metainfo();
    }

    public TorrentStats stats()
    {
        return stats;
    }

    /** @return bytes of the wanted files still missing (the tracker's {@code left}, as libtorrent reports it). */
    public long left()
    {
        return Math.max(0, stats.wantedBytes.get() - stats.wantedVerifiedBytes.get());
    }

    /** Every wanted piece is verified now (a torrent whose priorities change can stop being finished). */
    public boolean isFinished()
    {
        return stats.wantedVerifiedBytes.get() >= stats.wantedBytes.get();
    }

    /** @return the files' priorities as the torrent's agent holds them. */
    public CompletableFuture<FilePriorities> filePriorities()
    {
        final CompletableFuture<FilePriorities> result = new CompletableFuture<>();
        agent.offer(() -> result.complete(session.filePriorities()));
        return result;
    }

    /**
     * Sets the files' priorities (0 = skip, 1..7). Files wanted again first get their bytes back from the part file,
     * on the calling thread (disk I/O, a piece or two a file); then the torrent's agent picks by the new priorities.
     *
     * @throws io.spate.storage.StorageException naming the file when one cannot be created or written.
     */
    public CompletableFuture<Void> filePriorities(final FilePriorities priorities)
    {
        if (priorities.fileCount() != session.metainfo().files().size())
        {
            throw new IllegalArgumentException(priorities.fileCount() + " priorities for " +
                session.metainfo().files().size() + " files");
        }
        for (int file = 0; file < priorities.fileCount(); file++)
        {
            if (!priorities.skipped(file))
            {
                session.storage().unskip(file);
            }
        }
        if (webSeeds != null)
        {
            webSeeds.prepare(); // its HTTP client is made here, on the calling thread, never on the agent's
        }
        final CompletableFuture<Void> done = new CompletableFuture<>();
        agent.offer(() ->
        {
            session.filePriorities(priorities);
            if (webSeeds != null)
            {
                session.startWebSeeds(webSeeds); // a finished torrent fetches the files wanted now
            }
            done.complete(null);
        });
        return done;
    }

    /**
     * Completes when every wanted piece is verified (at once for a seed); it stays completed if priorities later want
     * more ({@link #isFinished()} tells the present).
     */
    public CompletableFuture<Void> completion()
    {
        return completion;
    }

    /** Completes with a message when the torrent stops on an error (disk full, I/O error). */
    public CompletableFuture<String> failure()
    {
        return failure;
    }

    /** @return the verified pieces, read on the owning agent's thread. */
    public CompletableFuture<java.util.BitSet> verifiedPieces()
    {
        final CompletableFuture<java.util.BitSet> result = new CompletableFuture<>();
        agent.offer(() -> result.complete(session.verifiedPieces()));
        return result;
    }

    /**
     * @return its connections, copied on the owning agent's thread; never completes when the agent has stopped, so
     * wait with a timeout.
     */
    public CompletableFuture<List<PeerSnapshot>> peers()
    {
        final CompletableFuture<List<PeerSnapshot>> result = new CompletableFuture<>();
        agent.offer(() -> result.complete(agent.peerSnapshots(session)));
        return result;
    }

    /** @return its web seeds' states, read on the owning agent's thread; wait with a timeout, as for peers. */
    public CompletableFuture<List<WebSeedState>> webSeeds()
    {
        final CompletableFuture<List<WebSeedState>> result = new CompletableFuture<>();
        agent.offer(() -> result.complete(session.webSeedStates()));
        return result;
    }

    /** Picks new pieces in index order (streaming) when true, else rarest first; applied on the agent's thread. */
    public void sequential(final boolean inOrder)
    {
        agent.offer(() -> session.sequential(inOrder));
    }

    /** Sets this torrent's upload limit in bytes per second (0 = none), at once, from any thread. */
    public void uploadLimit(final long bytesPerSecond)
    {
        session.uploadLimit().rate(bytesPerSecond);
    }

    public long uploadLimit()
    {
        return session.uploadLimit().rate();
    }

    /** This torrent's download limit in bytes per second, at once; 0 lifts it. */
    public void downloadLimit(final long bytesPerSecond)
    {
        session.downloadLimit().rate(bytesPerSecond);
    }

    public long downloadLimit()
    {
        return session.downloadLimit().rate();
    }

    /** Hands peer addresses given by hand to the owning agent, which dials them. */
    public void addPeers(final List<InetSocketAddress> peers)
    {
        addPeers(peers, PeerSource.MANUAL);
    }

    /** Hands peer addresses heard of from {@code source} to the owning agent, which dials them. */
    public void addPeers(final List<InetSocketAddress> peers, final PeerSource source)
    {
        final List<InetSocketAddress> copy = List.copyOf(peers);
        agent.offer(() -> agent.addPeers(session, copy, source));
    }

    /**
     * Stops the torrent: closes its connections, waits until the pipeline holds none of its blocks, then frees its id
     * and flushes and closes its files (on a control thread, never the agent's). Fails, naming the torrent, when the
     * disk has not drained in 30 s; the files are then released once it has ({@link DrainThenRelease}).
     */
    public CompletableFuture<Void> remove()
    {
        final CompletableFuture<Long> stopped = new CompletableFuture<>();
        agent.offer(() ->
        {
            agent.removeSession(session);
            stopped.complete(agent.pipeline().cursor());
        });
        return stopped.thenComposeAsync(cursor -> DrainThenRelease.run(session.metainfo().name(),
            timeoutNs -> agent.pipeline().awaitProcessed(cursor, timeoutNs), DRAIN_TIMEOUT_NS, release), drains);
    }
}
