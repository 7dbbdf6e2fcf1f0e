package io.spate.wire;

/**
 * Outcome of checking a received 68-byte BEP 3 handshake; {@link #NONE} when it is acceptable.
 */
public enum HandshakeError
{
    /** The handshake is well formed. */
    NONE,
    /** Fewer than {@link Handshake#LENGTH} bytes are available at the offset. */
    INCOMPLETE,
    /** The first byte (pstrlen) is not 19. */
    BAD_PROTOCOL_LENGTH,
    /** The 19 bytes after pstrlen are not "BitTorrent protocol". */
    BAD_PROTOCOL_STRING,
    /** The info-hash is not the one expected (reported by the checks that are given one). */
    INFO_HASH_MISMATCH
}
