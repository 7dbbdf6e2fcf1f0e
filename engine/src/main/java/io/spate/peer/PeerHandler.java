package io.spate.peer;

import io.spate.wire.MessageHandler;

/**
 * The torrent a connection serves, as the connection sees it: the one handler its decoder dispatches validated
 * frames to, plus the moments of the connection's life that are not messages. Called on the owning agent's thread.
 */
public interface PeerHandler extends MessageHandler<PeerConnection>
{
    /** The peer's handshake arrived; return false to refuse the connection (wrong torrent, self, duplicate). */
    boolean onHandshake(PeerConnection peer, byte[] infoHash, byte[] peerId);

    /** Handshakes done both ways: send the bitfield and what else opens the conversation. */
    void onActive(PeerConnection peer);

    /**
     * A block of {@code bytes} is about to go out to the peer: false holds it (and the rest of the upload queue) back
     * for now, because a rate limit has no room; the connection asks its {@link FlushScheduler} to retry soon.
     */
    boolean mayUpload(PeerConnection peer, int bytes);

    /**
     * How many bytes the connection may read from its socket now ({@link Integer#MAX_VALUE}: no limit). At 0 a
     * download limit is dry: the connection stops reading and asks its {@link FlushScheduler} to resume it soon.
     */
    int downloadAllowance(PeerConnection peer);

    /** {@code bytes} were read from the peer's socket: charged to the download limits. */
    void onDownloaded(PeerConnection peer, int bytes);

    /** A block of ours finished going out. */
    void onBlockSent(PeerConnection peer, int length);

    /** The connection closed; {@code reason} names why. Release everything held for it. */
    void onClosed(PeerConnection peer, CloseReason reason, String detail);
}
