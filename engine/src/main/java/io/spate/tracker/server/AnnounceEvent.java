package io.spate.tracker.server;

/** The {@code event} parameter of an announce (BEP 3); {@link #NONE} when absent or {@code empty}. */
public enum AnnounceEvent
{
    NONE,
    STARTED,
    COMPLETED,
    STOPPED
}
