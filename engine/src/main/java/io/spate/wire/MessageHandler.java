package io.spate.wire;

import org.agrona.DirectBuffer;

/**
 * Callbacks from {@link MessageDecoder}, one per message type, each called only after the frame passed validation.
 * Buffers passed in are views of the decoder's input, valid only during the call.
 */
public interface MessageHandler
{
    void onKeepAlive();

    void onChoke();

    void onUnchoke();

    void onInterested();

    void onNotInterested();

    void onHave(int index);

    /** @param offset first byte of the bitfield payload; length is exactly ceil(pieceCount / 8) when known. */
    void onBitfield(DirectBuffer buf, int offset, int length);

    void onRequest(int index, int begin, int length);

    void onCancel(int index, int begin, int length);

    /** @param offset first byte of the block; length is the block's length. */
    void onPiece(int index, int begin, DirectBuffer buf, int offset, int length);

    /** @param port the DHT UDP port, 0..65535. */
    void onPort(int port);

    void onSuggestPiece(int index);

    void onHaveAll();

    void onHaveNone();

    void onRejectRequest(int index, int begin, int length);

    void onAllowedFast(int index);

    /** @param extendedId the BEP 10 extended message id (0 = extension handshake), 0..255. */
    void onExtended(int extendedId, DirectBuffer buf, int offset, int length);
}
