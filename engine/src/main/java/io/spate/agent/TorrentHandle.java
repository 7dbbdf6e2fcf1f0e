package io.spate.agent;

import io.spate.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The control path's view of a torrent running on a network agent: its figures, its completion, and commands that
 * reach the owning agent through its queue. Safe to use from any thread.
 */
public final class TorrentHandle
{
    private final NetworkAgent agent;
    private final TorrentSession session;
    private final TorrentStats stats;
    private final CompletableFuture<Void> completion;
    private final CompletableFuture<String> failure;

    TorrentHandle(final NetworkAgent agent, final TorrentSession session, final TorrentStats stats,
        final CompletableFuture<Void> completion, final CompletableFuture<String> failure)
    {
        this.agent = agent;
        this.session = session;
        this.stats = stats;
        this.completion = completion;
        this.failure = failure;
    }

    public Metainfo metainfo()
    {
        return session.metainfo();
    }

    public TorrentStats stats()
    {
        return stats;
    }

    /** @return bytes still missing (the tracker's {@code left}). */
    public long left()
    {
        return session.metainfo().totalLength() - stats.verifiedBytes.get();
    }

    /** Completes when every piece is verified (at once for a seed). */
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

    /** Hands peer addresses (from a tracker, or given by hand) to the owning agent, which dials them. */
    public void addPeers(final List<InetSocketAddress> peers)
    {
        final List<InetSocketAddress> copy = List.copyOf(peers);
        agent.offer(() -> agent.addPeers(session, copy));
    }

    /** Stops the torrent: closes its connections and, once the pipeline has drained, its files. */
    public CompletableFuture<Void> remove()
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        agent.offer(() ->
        {
            agent.removeSession(session);
            done.complete(null);
        });
        return done;
    }
}
