package io.spate.webseed;

/**
 * Where a web seed's blocks go on the agent's thread: the same write and verify path as a peer's (the verify ring,
 * then SHA-1 of each whole piece). Implemented by the torrent's session; nothing allocated per block.
 */
public interface BlockSink
{
    /** @return whether the verify ring has room for {@code blocks} blocks now (else delivery waits). */
    boolean hasRoom(int blocks);

    /**
     * Hands one block on, copied from {@code data[offset..offset + length)}.
     *
     * @return false if it was not wanted (received already from a peer, or its piece is had): it was dropped.
     */
    boolean block(int piece, int block, byte[] data, int offset, int length);
}
