package io.spate.service;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's control threads, each for one kind of work so none holds up another: starts, resume data, and
 * announces (which wait on trackers for up to their timeout). Starts run on several threads: a fast resume is mostly
 * file-system calls, a few hashed pieces and a hand-over to an agent that the thread waits for, and one thread made
 * 10,000 of them take 18 s (perf-results/service/seedbox.md); full checks still go one at a time
 * ({@link TorrentStarter}), each using every core.
 */
final class ServiceThreads
{
    private static final long STOP_TIMEOUT_MS = 30_000;
    /** Start threads: two per core, so one waiting on the disk or an agent leaves the core to another. */
    static final int START_THREADS = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));

    final ExecutorService starts = Executors.newFixedThreadPool(START_THREADS, named("spate-start"));
    final ScheduledExecutorService resume = Executors.newSingleThreadScheduledExecutor(named("spate-resume"));
    final ScheduledExecutorService announces = Executors.newScheduledThreadPool(2, named("spate-announce"));

    /** Interrupts a start under way and waits for the resume thread's last write. */
    void stopStartsAndResume()
    {
        starts.shutdownNow();
        await(starts);
        resume.shutdown();
        await(resume);
    }

    /** Lets the last {@code stopped} announces go out, within the bound. */
    void stopAnnounces()
    {
        announces.shutdown();
        await(announces);
    }

    private static void await(final ExecutorService executor)
    {
        try
        {
            if (!executor.awaitTermination(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory named(final String name)
    {
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
