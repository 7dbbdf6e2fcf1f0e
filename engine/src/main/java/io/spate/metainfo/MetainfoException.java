package io.spate.metainfo;

/** A .torrent that cannot be used; the message names the field and what is wrong with it. */
public final class MetainfoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public MetainfoException(final String message)
    {
        super(message, null, false, false);
    }

    public MetainfoException(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
