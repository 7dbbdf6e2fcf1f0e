package io.spate.peer;

/**
 * Where an accepted connection goes before its handshake names a torrent: the router attaches it to the torrent's
 * session (or hands it to the agent that owns the torrent).
 */
public interface HandshakeRouter
{
    /** What {@link #route} did with the connection. */
    enum Outcome
    {
        /** No such torrent here: close the connection. */
        REFUSED,
        /** Attached to its torrent on this agent: carry on with the handshake. */
        ATTACHED,
        /** Leaving for the agent that owns its torrent: touch nothing more; that agent replays the bytes read. */
        HANDED_OVER
    }

    Outcome route(PeerConnection peer, byte[] infoHash, byte[] peerId);

    /** An unattached connection closed (bad handshake, timeout). */
    void onClosed(PeerConnection peer, CloseReason reason, String detail);
}
