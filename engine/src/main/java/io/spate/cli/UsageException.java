package io.spate.cli;

/** A command line that cannot run as typed: exit 2, one line naming the option or argument that is wrong. */
final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    UsageException(final String message)
    {
        super(message, null, false, false);
    }
}
