package io.spate.bencode;

/**
 * The one error the bencode decoder throws: it names the byte offset in the input and what was expected there.
 */
public final class BencodeException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    public BencodeException(final long offset, final String reason)
    {
        super("offset " + offset + ": " + reason, null, false, false);
        this.offset = offset;
        this.reason = reason;
    }

    /** @return the byte offset in the input where the problem was found. */
    public long offset()
    {
        return offset;
    }

    /** @return the problem without its offset. */
    public String reason()
    {
        return reason;
    }
}
