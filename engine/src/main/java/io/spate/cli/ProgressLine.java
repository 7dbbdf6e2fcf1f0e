package io.spate.cli;

import io.spate.metainfo.TorrentBuilder;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Hashing progress on stderr: on a terminal one live line rewritten with '\r'; otherwise plain lines, at most one a
 * second, plus the final one. Called on one thread.
 */
final class ProgressLine implements TorrentBuilder.Progress
{
    private static final long PLAIN_INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final boolean live;
    private final long startNanos = System.nanoTime();
    private long lastPlainNanos = startNanos;
    private boolean finished;

    ProgressLine(final PrintWriter err, final boolean live)
    {
        this.err = err;
        this.live = live;
    }

    /** @return true when stderr is most likely a terminal (the JVM has a console and nothing was redirected). */
    static boolean isTerminal()
    {
        return System.console() != null;
    }

    @Override
    public void hashed(final long bytesHashed, final long totalBytes)
    {
        if (finished)
        {
            return;
        }
        final long now = System.nanoTime();
        final boolean done = bytesHashed >= totalBytes;
        if (live)
        {
            err.print("\r" + line(bytesHashed, totalBytes, now) + "   ");
            if (done)
            {
                err.println();
            }
            err.flush();
        }
        else if (done || now - lastPlainNanos >= PLAIN_INTERVAL_NANOS)
        {
            lastPlainNanos = now;
            err.println(line(bytesHashed, totalBytes, now));
            err.flush();
        }
        finished = done;
    }

    private String line(final long bytesHashed, final long totalBytes, final long now)
    {
        final double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        final double percent = totalBytes == 0 ? 100.0 : 100.0 * bytesHashed / totalBytes;
        return String.format(Locale.ROOT, "hashing %5.1f%%  %s / %s  %.0f MB/s  %.1f s",
            percent, Units.bytes(bytesHashed), Units.bytes(totalBytes), bytesHashed / seconds / 1e6, seconds);
    }
}
