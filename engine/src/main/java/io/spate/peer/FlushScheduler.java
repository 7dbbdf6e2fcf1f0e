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
}
