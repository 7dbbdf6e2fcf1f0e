package io.spate.service.api;

import io.spate.agent.PeerSnapshot;
import io.spate.agent.TorrentHandle;
import io.spate.webseed.WebSeedState;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a torrent's detail needs from its network agent: the verified pieces, the connections and the web seeds, each
 * copied on the agent's thread by a command the API posts (the engine takes no lock on its data path), and waited for
 * together within one bound.
 *
 * @param verified the verified pieces, or null when the torrent is not running or its agent did not answer.
 * @param peers    its connections, or null likewise.
 * @param webSeeds its web seeds, or null likewise.
 * @param answered false when the agent did not answer within the bound (the detail then goes out without them).
 */
record AgentView(BitSet verified, List<PeerSnapshot> peers, List<WebSeedState> webSeeds, boolean answered)
{
    /** An agent that answers nothing in this long is stuck or stopping. */
    static final long TIMEOUT_MS = 5_000;

    static final AgentView NOT_RUNNING = new AgentView(null, null, null, true);

    /** @param handle the running torrent, or null. */
    static AgentView read(final TorrentHandle handle) throws InterruptedException
    {
        if (handle == null)
        {
            return NOT_RUNNING;
        }
        final CompletableFuture<BitSet> verified = handle.verifiedPieces();
        final CompletableFuture<List<PeerSnapshot>> peers = handle.peers();
        final CompletableFuture<List<WebSeedState>> webSeeds = handle.metainfo().urlList().isEmpty() ?
            CompletableFuture.completedFuture(List.of()) : handle.webSeeds();
        try
        {
            CompletableFuture.allOf(verified, peers, webSeeds).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new AgentView(verified.join(), peers.join(), webSeeds.join(), true);
        }
        catch (final TimeoutException | ExecutionException ex)
        {
            return new AgentView(null, null, null, false);
        }
    }
}
