package io.spate.dht;

/**
 * Why {@link KrpcDecoder} refused a datagram: the counter to bump and a description for tests and logs. Thrown
 * without a stack trace: hostile input may cause one per packet.
 */
public final class KrpcDropException extends Exception
{
    private static final long serialVersionUID = 1L;
    private final DhtCounter counter;

    public KrpcDropException(final DhtCounter counter, final String reason)
    {
        super(reason, null, false, false);
        this.counter = counter;
    }

    /** @return the drop counter this refusal increments. */
    public DhtCounter counter()
    {
        return counter;
    }
}
