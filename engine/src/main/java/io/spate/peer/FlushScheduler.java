package io.spate.peer;

/**
 * Where a connection with newly queued output asks to be flushed: the owning agent collects such connections and
 * flushes each once at the end of its duty cycle, so several messages queued in one cycle leave in one write.
 */
@FunctionalInterface
public interface FlushScheduler
{
    void flushLater(PeerConnection peer);
}
