package io.spate.tracker;

/**
 * The {@code event} of an announce (BEP 3), one type for the tracker client and the tracker server, with both of its
 * encodings: the HTTP query value and the UDP code (BEP 15). {@link #NONE} is a regular re-announce: over HTTP the
 * parameter is omitted (a server also takes {@code empty}), over UDP it is code 0.
 */
public enum AnnounceEvent
{
    NONE(null, 0),
    COMPLETED("completed", 1),
    STARTED("started", 2),
    STOPPED("stopped", 3);

    /** The values in UDP code order; {@code values()} would copy the array at every call. */
    private static final AnnounceEvent[] BY_UDP_CODE = {NONE, COMPLETED, STARTED, STOPPED};

    private final String queryValue;
    private final int udpCode;

    AnnounceEvent(final String queryValue, final int udpCode)
    {
        this.queryValue = queryValue;
        this.udpCode = udpCode;
    }

    /** @return the HTTP {@code event} parameter's value, or null when the parameter is omitted ({@link #NONE}). */
    public String queryValue()
    {
        return queryValue;
    }

    /** @return the event's code in a UDP announce (BEP 15). */
    public int udpCode()
    {
        return udpCode;
    }

    /** @return the event of UDP code {@code code}, or null if it is none. */
    public static AnnounceEvent ofUdpCode(final int code)
    {
        return code >= 0 && code < BY_UDP_CODE.length ? BY_UDP_CODE[code] : null;
    }
}
