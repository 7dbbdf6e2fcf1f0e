package io.spate.verify;

/** A preallocated slot of the hash ring: a piece whose blocks are all written, or a failed write to report. */
final class PieceEvent
{
    int torrentId;
    int piece;
    int agentId;
    /** Non-null when writing a block of the piece failed; reported instead of hashing. */
    String writeError;

    void set(final int torrentId, final int piece, final int agentId, final String writeError)
    {
        this.torrentId = torrentId;
        this.piece = piece;
        this.agentId = agentId;
        this.writeError = writeError;
    }
}
