package io.spate.peer;

import org.agrona.DirectBuffer;

/**
 * What a connection reports to the torrent it serves, on the owning agent's thread. The torrent session applies
 * policy (picker, choker, storage); the connection only frames, validates and moves bytes.
 */
public interface PeerEvents
{
    /** The peer's handshake arrived; return false to refuse the connection (wrong torrent, self, duplicate). */
    boolean onHandshake(PeerConnection peer, byte[] infoHash, byte[] peerId);

    /** Handshakes done both ways: send the bitfield and what else opens the conversation. */
    void onActive(PeerConnection peer);

    void onChoke(PeerConnection peer);

    void onUnchoke(PeerConnection peer);

    void onInterested(PeerConnection peer, boolean interested);

    void onHave(PeerConnection peer, int piece);

    void onBitfield(PeerConnection peer, DirectBuffer buf, int offset, int length);

    void onHaveAll(PeerConnection peer);

    void onHaveNone(PeerConnection peer);

    void onRequest(PeerConnection peer, int piece, int begin, int length);

    void onCancel(PeerConnection peer, int piece, int begin, int length);

    void onPiece(PeerConnection peer, int piece, int begin, DirectBuffer buf, int offset, int length);

    void onReject(PeerConnection peer, int piece, int begin, int length);

    void onExtended(PeerConnection peer, int extendedId, DirectBuffer buf, int offset, int length);

    /** A block of ours finished going out (counts upload). */
    void onBlockSent(PeerConnection peer, int length);

    /** The connection closed; {@code reason} names why. Release everything held for it. */
    void onClosed(PeerConnection peer, CloseReason reason, String detail);
}
