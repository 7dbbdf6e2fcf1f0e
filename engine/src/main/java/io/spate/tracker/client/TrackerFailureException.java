package io.spate.tracker.client;

import java.io.IOException;

/** The tracker answered with a {@code failure reason}. */
public final class TrackerFailureException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final String reason;

    public TrackerFailureException(final String reason)
    {
        super("tracker failure: " + reason);
        this.reason = reason;
    }

    /** @return the tracker's {@code failure reason}, as sent. */
    public String reason()
    {
        return reason;
    }
}
