package io.spate.peer;

/**
 * Where a connection with newly queued output asks to be flushed: the owning agent collects such connections and
 * flushes each once at the end of its duty cycle, so several messages queued in one cycle leave in one write.
 */
public interface FlushScheduler
{
    /** Flush at the end of this duty cycle. */
    void flushLater(PeerConnection peer);

    /** A rate limit held the connection's blocks back: flush again in a few milliseconds. */
    void flushWhenAllowed(PeerConnection peer);

    /** A download limit held the connection's reads back: {@link PeerConnection#resumeReads()} in a few ms. */
    void readWhenAllowed(PeerConnection peer);
}
