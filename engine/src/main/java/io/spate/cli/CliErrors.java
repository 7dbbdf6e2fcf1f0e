package io.spate.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns any exception into one human line: what failed and where, never a stack trace. */
final class CliErrors
{
    private CliErrors()
    {
    }

    static String describe(final Throwable t)
    {
        if (t instanceof NoSuchFileException e)
        {
            return e.getFile() + ": no such file";
        }
        if (t instanceof AccessDeniedException e)
        {
            return e.getFile() + ": permission denied";
        }
        if (t instanceof FileSystemException e)
        {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        }
        if (t instanceof FileNotFoundException)
        {
            return t.getMessage();
        }
        final String message = t.getMessage();
        if (message == null || message.isBlank())
        {
            return t.getClass().getSimpleName() + (t.getCause() != null ? ": " + describe(t.getCause()) : "");
        }
        return message.replace('\n', ' ');
    }
}
