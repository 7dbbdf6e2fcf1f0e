package io.spate.cli;

import io.spate.agent.TorrentListener;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * With {@code --json}: a {@code peer_closed} event for each connection that ends, with the payload it carried each
 * way, so a swarm experiment can tell who fed whom (the swarm lab's free-rider). The agent thread only queues the
 * line; the control thread prints it with the progress lines, and once more before {@code stopped}.
 */
final class PeerLog implements TorrentListener
{
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    public void onPeerClosed(final InetSocketAddress remote, final long downloaded, final long uploaded,
        final String reason)
    {
        lines.offer(new Json().beginObject().field("event", "peer_closed")
            .field("peer", remote.getAddress().getHostAddress() + ":" + remote.getPort())
            .field("downloaded", downloaded).field("uploaded", uploaded).field("reason", reason).endObject()
            .toString());
    }

    /** Prints what was queued. */
    void drainTo(final Progress progress)
    {
        for (String line = lines.poll(); line != null; line = lines.poll())
        {
            progress.line(line);
        }
    }
}
