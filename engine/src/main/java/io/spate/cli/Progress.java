package io.spate.cli;

import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentStats;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.PieceSha1;

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
            emit(new Json().beginObject().field("event", "started").field("name", metainfo.name())
                .field("info_hash", metainfo.infoHashHex()).field("bytes", metainfo.totalLength())
                .field("wanted", torrent.stats().wantedBytes.get())
                .field("have", torrent.stats().verifiedBytes.get()).field("port", port)
                .field("sha1", PieceSha1.choice()).field("seconds", seconds(startNs), 3).endObject().toString());
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
            emit(new Json().beginObject().field("event", "progress").field("percent", percent(s), 2)
                .field("have", s.verifiedBytes.get()).field("wanted", s.wantedBytes.get())
                .field("have_wanted", s.wantedVerifiedBytes.get()).field("downloaded", s.downloadedBytes.get())
                .field("uploaded", s.uploadedBytes.get()).field("download_rate", down).field("upload_rate", up)
                .field("peers", s.peersConnected.get()).field("hash_failures", s.hashFailures.get())
                .field("peers_banned", s.peersBanned.get())
                .field("uploaded_for_first_copy", s.uploadedForFirstCopy.get()).endObject().toString());
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

    synchronized void complete(final TorrentHandle torrent, final long startNs)
    {
        final double seconds = seconds(startNs);
        if (json)
        {
            final var rtt = torrent.stats().requestRoundTrip.snapshot();
            final var verify = torrent.stats().pieceVerify.snapshot();
            final Json event = new Json().beginObject().field("event", "complete")
                .field("bytes", metainfo.totalLength()).field("wanted", torrent.stats().wantedBytes.get())
                .field("seconds", seconds, 3)
                .field("downloaded", torrent.stats().downloadedBytes.get())
                .field("request_rtt_p50_ms", rtt.getValueAtPercentile(50) / 1e6, 3)
                .field("request_rtt_p99_ms", rtt.getValueAtPercentile(99) / 1e6, 3)
                .field("verify_p50_ms", verify.getValueAtPercentile(50) / 1e6, 3)
                .field("verify_p99_ms", verify.getValueAtPercentile(99) / 1e6, 3)
                .field("sha1_provider", PieceSha1.providerName()).key("cpu_seconds");
            // the CPU this process used so far, every thread and the JIT's: on two cores shared with the other
            // peer, what a download costs in CPU decides its speed as much as its design (null where the OS is mute)
            final java.util.Optional<java.time.Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
            if (cpu.isPresent())
            {
                event.value(cpu.get().toNanos() / 1e9, 3);
            }
            else
            {
                event.value((String)null);
            }
            emit(event.endObject().toString());
        }
        else
        {
            final long downloaded = torrent.stats().downloadedBytes.get();
            final long wanted = torrent.stats().wantedBytes.get();
            emit(String.format(Locale.ROOT, "complete: %s%s in %.2f s%s", Units.bytes(wanted),
                wanted < metainfo.totalLength() ? " of " + Units.bytes(metainfo.totalLength()) + " (files skipped)" : "",
                seconds,
                downloaded > 0 ? String.format(Locale.ROOT, " (%s/s)", Units.bytes((long)(downloaded / seconds))) :
                " (already on disk)"));
        }
    }

    synchronized void stopped(final TorrentHandle torrent, final long startNs)
    {
        final TorrentStats s = torrent.stats();
        if (json)
        {
            emit(new Json().beginObject().field("event", "stopped").field("seconds", seconds(startNs), 3)
                .field("downloaded", s.downloadedBytes.get()).field("uploaded", s.uploadedBytes.get())
                .field("have", s.verifiedBytes.get()).endObject().toString());
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
            emit(new Json().beginObject().field("event", "error").field("message", message).endObject().toString());
        }
        closeLiveLine();
        err.println("error: " + message);
        err.flush();
    }

    synchronized void warning(final String message)
    {
        if (json)
        {
            emit(new Json().beginObject().field("event", "warning").field("message", message).endObject()
                .toString());
            return;
        }
        closeLiveLine();
        err.println("warning: " + message);
        err.flush();
    }

    /** A JSON event made elsewhere (see {@link PeerLog}). */
    synchronized void line(final String jsonLine)
    {
        emit(jsonLine);
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

    /** Of the wanted bytes (the whole torrent unless files are skipped), as libtorrent's progress counts. */
    private double percent(final TorrentStats s)
    {
        final long wanted = s.wantedBytes.get();
        return wanted == 0 ? 100.0 : 100.0 * s.wantedVerifiedBytes.get() / wanted;
    }

    private static double seconds(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1e9;
    }
}
