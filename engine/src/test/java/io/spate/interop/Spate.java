package io.spate.interop;

import io.spate.agent.TorrentStats;
import io.spate.peer.CloseReason;
import io.spate.testing.Swarm;
import io.spate.testing.ThirdPartyClient;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits on Spate peers of a mixed swarm, failing with what the engine and the clients saw. */
final class Spate
{
    /** Closes that mean one side broke the protocol: none may happen between well-behaved clients. */
    private static final Set<CloseReason> FAULTS = EnumSet.of(CloseReason.BAD_HANDSHAKE, CloseReason.WRONG_INFO_HASH,
        CloseReason.PROTOCOL_VIOLATION, CloseReason.REQUEST_FOR_MISSING_PIECE, CloseReason.TOO_MANY_REQUESTS,
        CloseReason.SENT_BAD_DATA, CloseReason.SEND_BUFFER_OVERFLOW);

    /**
     * aria2 opens every outgoing connection with an MSE (encrypted) handshake, even when told to prefer plaintext;
     * Spate does not speak MSE and closes it as a bad handshake, and aria2 retries at once with the plain one (its
     * info log: "Retry using legacy BitTorrent handshake"). So a swarm with aria2 expects these closes.
     */
    static final CloseReason MSE_PROBE = CloseReason.BAD_HANDSHAKE;

    private Spate()
    {
    }

    /** Waits for the peer's completion; on timeout fails with its figures, close counters and the clients' events. */
    static void awaitComplete(final Swarm.Peer peer, final long timeoutMs, final ThirdPartyClient... others)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String problem = null;
        while (problem == null)
        {
            try
            {
                peer.torrent().completion().get(50, TimeUnit.MILLISECONDS);
                return;
            }
            catch (final TimeoutException ex)
            {
                // a client that failed or quit fails the wait at once, not at its end
                for (final ThirdPartyClient other : others)
                {
                    problem = problem != null ? problem : other.failure();
                }
                if (problem == null && System.nanoTime() > deadline)
                {
                    problem = "spate peer not complete within " + timeoutMs + " ms";
                }
            }
        }
        final StringBuilder text = new StringBuilder(problem).append("; spate peer: ").append(describe(peer));
        for (final ThirdPartyClient other : others)
        {
            text.append("\n  ").append(other.client()).append(':').append(other.diagnostics());
        }
        throw new AssertionError(text.toString());
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

    /**
     * Fails if the peer banned anyone, saw a protocol violation or a bad piece, or closed a connection as faulty.
     *
     * @param expected close reasons that are not faults here (see {@link #MSE_PROBE}).
     */
    static void assertNoFaults(final String who, final Swarm.Peer peer, final CloseReason... expected)
    {
        final TorrentStats s = peer.torrent().stats();
        final Set<CloseReason> faults = EnumSet.copyOf(FAULTS);
        faults.removeAll(List.of(expected));
        final boolean faultyClose = peer.engine().closeCounters().snapshot().keySet().stream()
            .anyMatch(faults::contains);
        System.out.println(who + ": " + describe(peer));
        if (s.peersBanned.get() != 0 || s.protocolViolations.get() != 0 || s.hashFailures.get() != 0 || faultyClose)
        {
            throw new AssertionError(who + " saw a faulty peer: " + describe(peer));
        }
    }
}
