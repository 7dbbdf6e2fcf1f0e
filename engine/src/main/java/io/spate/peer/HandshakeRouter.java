package io.spate.peer;

/**
 * Where an accepted connection goes before its handshake names a torrent: the router attaches it to the torrent's
 * session (or hands it to the agent that owns the torrent).
 */
public interface HandshakeRouter
{
    /**
     * @return false to refuse (no such torrent here); true once the connection is attached or handed over.
     */
    boolean route(PeerConnection peer, byte[] infoHash, byte[] peerId);

    /** An unattached connection closed (bad handshake, timeout). */
    void onClosed(PeerConnection peer, CloseReason reason, String detail);
}
