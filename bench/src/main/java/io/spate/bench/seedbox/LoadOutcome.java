package io.spate.bench.seedbox;

/** How one load connection ended, as {@link PeerLoad} reports it. */
enum LoadOutcome
{
    /** Still running when the run ended (reported only if the run was cut short). */
    RUNNING,
    /** Every piece of its torrent received, each matching the piece's SHA-1, for every pass. */
    SERVED,
    CONNECT_FAILED,
    CONNECT_TIMEOUT,
    /** The seed's handshake was malformed or named another torrent. */
    BAD_HANDSHAKE,
    HANDSHAKE_TIMEOUT,
    /** The seed closed the connection (or reset it) before every piece arrived. */
    CLOSED_BY_SEED,
    /** A frame the engine's decoder refuses, or a block nobody asked for. */
    PROTOCOL_VIOLATION,
    /** A piece whose bytes do not match its SHA-1. */
    BAD_PIECE,
    /** The seed never unchoked it, or stopped sending, within the stall limit. */
    STALLED,
    /** The run's time bound came before it was served. */
    DEADLINE
}
