package io.spate.wire;

import org.agrona.DirectBuffer;

/**
 * Callbacks from {@link MessageDecoder}, one per message type, each called only after the frame passed validation.
 * Buffers passed in are views of the decoder's input, valid only during the call. {@code C} is whatever the caller
 * of {@link MessageDecoder#decode} names the frames' sender by (the engine passes the connection), so one handler
 * serves every connection of a torrent without an object per connection to carry it. The messages a receiver may
 * ignore (keep-alive, PORT, SUGGEST_PIECE, ALLOWED_FAST, HAVE_NONE) are ignored unless overridden.
 *
 * @param <C> the sender's type.
 */
public interface MessageHandler<C>
{
    default void onKeepAlive(C peer)
    {
    }

    void onChoke(C peer);

    void onUnchoke(C peer);

    void onInterested(C peer);

    void onNotInterested(C peer);

    void onHave(C peer, int index);

    /** @param offset first byte of the bitfield payload; length is exactly ceil(pieceCount / 8) when known. */
    void onBitfield(C peer, DirectBuffer buf, int offset, int length);

    void onRequest(C peer, int index, int begin, int length);

    void onCancel(C peer, int index, int begin, int length);

    /** @param offset first byte of the block; length is the block's length. */
    void onPiece(C peer, int index, int begin, DirectBuffer buf, int offset, int length);

    /** @param port the DHT UDP port, 0..65535. */
    default void onPort(C peer, int port)
    {
    }

    default void onSuggestPiece(C peer, int index)
    {
    }

    void onHaveAll(C peer);

    default void onHaveNone(C peer)
    {
    }

    void onRejectRequest(C peer, int index, int begin, int length);

    default void onAllowedFast(C peer, int index)
    {
    }

    /** @param extendedId the BEP 10 extended message id (0 = extension handshake), 0..255. */
    void onExtended(C peer, int extendedId, DirectBuffer buf, int offset, int length);
}
