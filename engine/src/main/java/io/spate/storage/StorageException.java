package io.spate.storage;

/** A storage failure that names the file and what went wrong (disk full, permission, unsafe path). */
public final class StorageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public StorageException(final String message)
    {
        super(message, null, false, false);
    }

    public StorageException(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
