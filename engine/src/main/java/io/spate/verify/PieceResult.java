package io.spate.verify;

/** Outcome codes of a piece handed back to its network agent. */
public final class PieceResult
{
    /** The piece's SHA-1 matched: announce it (HAVE) and serve it. */
    public static final int VERIFIED = 1;
    /** The piece's SHA-1 did not match: discard it and fetch it again. */
    public static final int HASH_FAILED = 2;
    /** Writing a block of the piece failed (disk full, I/O error): the torrent stops with that error. */
    public static final int WRITE_FAILED = 3;

    private PieceResult()
    {
    }
}
