package io.spate.wire;

/**
 * Why {@link MessageDecoder} rejected a frame. The peer that sent it is closed and counted.
 */
public enum ProtocolViolation
{
    /** No violation. */
    NONE,
    /** The length prefix exceeds the decoder's maximum frame length (or is 2^31 or more). */
    LENGTH_TOO_LARGE,
    /** The message id is none this codec knows. */
    UNKNOWN_MESSAGE_ID,
    /** The payload length is wrong for the message id (fixed-size messages, or too short to hold its fields). */
    BAD_PAYLOAD_LENGTH,
    /** The piece index is not below the torrent's piece count. */
    PIECE_INDEX_OUT_OF_RANGE,
    /** begin + length runs past the end of the piece (or begin is negative). */
    BLOCK_OUT_OF_BOUNDS,
    /** A requested, cancelled, rejected or sent block is longer than 128 KiB. */
    BLOCK_TOO_LARGE,
    /** A requested, cancelled, rejected or sent block has length zero (or a negative length). */
    EMPTY_BLOCK,
    /** The bits past the last piece in the bitfield's last byte are not zero. */
    BITFIELD_SPARE_BITS_SET,
    /** The bitfield is not exactly ceil(pieceCount / 8) bytes. */
    BITFIELD_WRONG_LENGTH,
    /** A BEP 6 message arrived but the fast extension was not negotiated by both sides. */
    FAST_MESSAGE_NOT_NEGOTIATED,
    /** A BEP 10 message arrived but the extension protocol was not negotiated by both sides. */
    EXTENDED_NOT_NEGOTIATED
}
