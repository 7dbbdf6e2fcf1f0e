package io.spate.agent;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The last step of removing a torrent: wait until the disk handlers hold none of its blocks, then free its id and
 * close its files. If they have not drained within the bound (a hung disk), removal fails with a message naming
 * the torrent, and the release waits on in the background: freeing the id while blocks of the old torrent are still
 * in the ring would let a new torrent with that id receive them, and closing the files would fail their writes.
 */
final class DrainThenRelease
{
    /** Waits until the ring's handlers have processed what was published before the removal. */
    @FunctionalInterface
    interface Drain
    {
        /** @return true once drained, false when {@code timeoutNs} passed first. */
        boolean await(long timeoutNs) throws InterruptedException;
    }

    private DrainThenRelease()
    {
    }

    static CompletableFuture<Void> run(final String torrent, final Drain drain, final long timeoutNs,
        final Runnable release)
    {
        final CompletableFuture<Void> removed = new CompletableFuture<>();
        try
        {
            if (drain.await(timeoutNs))
            {
                release.run();
                removed.complete(null);
                return removed;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            removed.completeExceptionally(ex);
            return removed;
        }
        removed.completeExceptionally(new IOException(torrent + ": the disk has not finished this torrent's writes " +
            "after " + timeoutNs / 1_000_000_000L + " s; its files stay open until it does"));
        final Thread waiter = new Thread(() ->
        {
            try
            {
                boolean drained = false;
                while (!drained)
                {
                    drained = drain.await(timeoutNs);
                }
                release.run();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt(); // JVM exit: the files close with the process
            }
        }, "spate-drain-" + torrent);
        waiter.setDaemon(true);
        waiter.start();
        return removed;
    }
}
