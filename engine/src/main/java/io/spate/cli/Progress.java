package io.spate.cli;

import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentStats;
import io.spate.metainfo.Metainfo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress output of {@code seed} and {@code leech}: one live line on a terminal, plain lines otherwise, or with
 * {@code --json} one JSON object per line on stdout ({@code started}, {@code progress}, {@code complete},
 * {@code stopped}, {@code error}).
 */
final class Progress
{
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal;
    private final Metainfo metainfo;
    private boolean liveLineOpen;

    Progress(final PrintWriter out, final PrintWriter err, final boolean json, final boolean terminal,
        final Metainfo metainfo)
    {
        this.out = out;
        this.err = err;
        this.json = json;
        this.terminal = terminal && !json;
        this.metainfo = metainfo;
    }

    synchronized void started(final TorrentHandle torrent, final int port, final long startNs)
    {
        if (json)
        {
            emit(String.format(Locale.ROOT, "{\"event\":\"started\",\"name\":%s,\"info_hash\":\"%s\",\"bytes\":%d," +
                "\"have\":%d,\"port\":%d,\"seconds\":%.3f}", quote(metainfo.name()), metainfo.infoHashHex(),
                metainfo.totalLength(), torrent.stats().verifiedBytes.get(), port, seconds(startNs)));
        }
        else
        {
            emit(String.format(Locale.ROOT, "%s: %s, %s in %d pieces, listening on port %d, have %.1f%%",
                metainfo.name(), metainfo.infoHashHex(), Units.bytes(metainfo.totalLength()), metainfo.pieceCount(),
                port, percent(torrent.stats())));
        }
    }

    synchronized void progress(final TorrentHandle torrent)
    {
        final TorrentStats s = torrent.stats();
        final long down = s.downloadRate.get();
        final long up = s.uploadRate.get();
        final long left = torrent.left();
        if (json)
        {
            emit(String.format(Locale.ROOT, "{\"event\":\"progress\",\"percent\":%.2f,\"have\":%d," +
                "\"downloaded\":%d,\"uploaded\":%d,\"download_rate\":%d,\"upload_rate\":%d,\"peers\":%d," +
                "\"hash_failures\":%d,\"peers_banned\":%d}", percent(s), s.verifiedBytes.get(),
                s.downloadedBytes.get(), s.uploadedBytes.get(), down, up, s.peersConnected.get(),
                s.hashFailures.get(), s.peersBanned.get()));
            return;
        }
        final String eta = left == 0 ? "done" : down > 0 ? Units.duration(left / down) : "--";
        final String line = String.format(Locale.ROOT, "%5.1f%%  down %s/s  up %s/s  peers %d  eta %s",
            percent(s), Units.bytes(down), Units.bytes(up), s.peersConnected.get(), eta);
        if (terminal)
        {
            out.print("\r" + line + "\u001b[K");
            out.flush();
            liveLineOpen = true;
        }
        else
        {
            emit(line);
        }
    }

    /**
     * CPU seconds this process has used so far, all threads (the JIT's too), or null where the OS does not say: on two
     * cores shared with the other peer, what a download costs in CPU decides its speed as much as its design.
     */
    private static String processCpuSeconds()
    {
        return ProcessHandle.current().info().totalCpuDuration()
            .map(d -> String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9)).orElse("null");
    }

    synchronized void complete(final TorrentHandle torrent, final long startNs)
    {
        final double seconds = seconds(startNs);
        if (json)
        {
            final var rtt = torrent.stats().requestRoundTrip.snapshot();
            final var verify = torrent.stats().pieceVerify.snapshot();
            emit(String.format(Locale.ROOT, "{\"event\":\"complete\",\"bytes\":%d,\"seconds\":%.3f," +
                "\"downloaded\":%d,\"request_rtt_p50_ms\":%.3f,\"request_rtt_p99_ms\":%.3f," +
                "\"verify_p50_ms\":%.3f,\"verify_p99_ms\":%.3f,\"cpu_seconds\":%s}", metainfo.totalLength(), seconds,
                torrent.stats().downloadedBytes.get(), rtt.getValueAtPercentile(50) / 1e6,
                rtt.getValueAtPercentile(99) / 1e6, verify.getValueAtPercentile(50) / 1e6,
                verify.getValueAtPercentile(99) / 1e6, processCpuSeconds()));
        }
        else
        {
            final long downloaded = torrent.stats().downloadedBytes.get();
            emit(String.format(Locale.ROOT, "complete: %s in %.2f s%s", Units.bytes(metainfo.totalLength()), seconds,
                downloaded > 0 ? String.format(Locale.ROOT, " (%s/s)", Units.bytes((long)(downloaded / seconds))) :
                " (already on disk)"));
        }
    }

    synchronized void stopped(final TorrentHandle torrent, final long startNs)
    {
        final TorrentStats s = torrent.stats();
        if (json)
        {
            emit(String.format(Locale.ROOT, "{\"event\":\"stopped\",\"seconds\":%.3f,\"downloaded\":%d," +
                "\"uploaded\":%d,\"have\":%d}", seconds(startNs), s.downloadedBytes.get(), s.uploadedBytes.get(),
                s.verifiedBytes.get()));
        }
        else
        {
            emit(String.format(Locale.ROOT, "stopped: downloaded %s, uploaded %s", Units.bytes(s.downloadedBytes.get()),
                Units.bytes(s.uploadedBytes.get())));
        }
    }

    synchronized void error(final String message)
    {
        if (json)
        {
            emit("{\"event\":\"error\",\"message\":" + quote(message) + "}");
        }
        closeLiveLine();
        err.println("error: " + message);
        err.flush();
    }

    synchronized void warning(final String message)
    {
        if (json)
        {
            emit("{\"event\":\"warning\",\"message\":" + quote(message) + "}");
            return;
        }
        closeLiveLine();
        err.println("warning: " + message);
        err.flush();
    }

    private void emit(final String line)
    {
        closeLiveLine();
        out.println(line);
        out.flush();
    }

    private void closeLiveLine()
    {
        if (liveLineOpen)
        {
            out.println();
            liveLineOpen = false;
        }
    }

    private double percent(final TorrentStats s)
    {
        return 100.0 * s.verifiedBytes.get() / metainfo.totalLength();
    }

    private static double seconds(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1e9;
    }

    private static String quote(final String s)
    {
        return Json.quote(s);
    }
}
