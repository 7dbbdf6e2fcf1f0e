package io.spate.service;

/**
 * A request the service refuses, with the HTTP status that says why (400 bad input, 404 unknown torrent, 409 already
 * there, 413 too large) and a message naming the problem. The API turns it into a JSON error; the CLI prints it.
 */
public final class ServiceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int TOO_LARGE = 413;

    private final int status;

    public ServiceException(final int status, final String message)
    {
        super(message, null, false, false);
        this.status = status;
    }

    public ServiceException(final int status, final String message, final Throwable cause)
    {
        super(message, cause, false, false);
        this.status = status;
    }

    public int status()
    {
        return status;
    }

    public static ServiceException badRequest(final String message)
    {
        return new ServiceException(BAD_REQUEST, message);
    }

    public static ServiceException notFound(final String infoHash)
    {
        return new ServiceException(NOT_FOUND, "no torrent with info-hash " + infoHash);
    }
}
