package io.spate.peer;

/** Why a connection ended; each is counted so hostile or broken peers show in the metrics. */
public enum CloseReason
{
    PEER_CLOSED,
    IO_ERROR,
    CONNECT_FAILED,
    BAD_HANDSHAKE,
    WRONG_INFO_HASH,
    SELF_CONNECTION,
    DUPLICATE,
    PROTOCOL_VIOLATION,
    REQUEST_FOR_MISSING_PIECE,
    TOO_MANY_REQUESTS,
    SENT_BAD_DATA,
    SEND_BUFFER_OVERFLOW,
    TIMEOUT,
    BOTH_SEEDS,
    /** A bug on our side surfaced while handling this peer: it is closed, every other peer goes on. */
    INTERNAL_ERROR,
    SHUTDOWN
}
