package io.spate.interop;

import io.spate.agent.TorrentStats;
import io.spate.testing.Swarm;
import io.spate.testing.ThirdPartyClient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits on Spate peers of a mixed swarm, failing with what the engine and the clients saw. */
final class Spate
{
    private Spate()
    {
    }

    /** Waits for the peer's completion; on timeout fails with its figures, close counters and the clients' events. */
    static void awaitComplete(final Swarm.Peer peer, final long timeoutMs, final ThirdPartyClient... others)
        throws Exception
    {
        try
        {
            peer.torrent().completion().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            final StringBuilder text = new StringBuilder("spate peer not complete within " + timeoutMs + " ms: ")
                .append(describe(peer));
            for (final ThirdPartyClient other : others)
            {
                text.append("\n  ").append(other.client()).append(':').append(other.diagnostics());
            }
            throw new AssertionError(text.toString(), ex);
        }
    }

    /** @return a peer's byte counts, peers, bans and the engine's close counters, for failure messages. */
    static String describe(final Swarm.Peer peer)
    {
        final TorrentStats s = peer.torrent().stats();
        return "verified=" + s.verifiedBytes.get() + " downloaded=" + s.downloadedBytes.get() +
            " uploaded=" + s.uploadedBytes.get() + " wasted=" + s.wastedBytes.get() +
            " hashFailures=" + s.hashFailures.get() + " peers=" + s.peersConnected.get() +
            " banned=" + s.peersBanned.get() + " violations=" + s.protocolViolations.get() +
            " closes=" + peer.engine().closeCounters().snapshot() + " agentError=" + peer.engine().agentError();
    }
}
