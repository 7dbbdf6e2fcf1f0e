package io.spate.agent;

/**
 * Lifecycle events of a torrent, called on the owning agent's thread: implementations must only hand off (complete
 * a future, offer to a queue), never block.
 */
public interface TorrentListener
{
    /** Every piece is verified: the torrent is now a seed. */
    default void onComplete()
    {
    }

    /**
     * A connection of the torrent closed (at any stage, so some carried nothing): what it carried each way (payload
     * bytes) and why it ended. What a swarm experiment needs to see who fed whom.
     */
    default void onPeerClosed(final java.net.InetSocketAddress remote, final long downloaded, final long uploaded,
        final String reason)
    {
    }

    /** The torrent stopped on an error (disk full, I/O error); the message names the file. */
    default void onError(final String message)
    {
    }

    /** Something went wrong that the torrent works around (a web seed failed, was backed off or dropped). */
    default void onWarning(final String message)
    {
    }

    TorrentListener NONE = new TorrentListener()
    {
    };
}
