package io.spate.service.api;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentStats;
import io.spate.metrics.CloseCounters;
import io.spate.metrics.LatencyRecorder;
import io.spate.peer.CloseReason;
import io.spate.service.Daemon;
import io.spate.service.ManagedTorrent;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * {@code /metrics}: the daemon's figures in the Prometheus text format, written by the Prometheus Java client. Every
 * metric is a callback read at scrape time from the counters the agents already keep (no second count on the data
 * path): per torrent bytes, rates, peers, hash failures and bans; connection closes by reason; request round trip and
 * piece verify latency as summaries over the HdrHistogram recorders; and the JVM's own metrics.
 */
final class ServiceMetrics
{
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 1.0};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    ServiceMetrics(final Daemon daemon)
    {
        perTorrent(daemon, "spate_torrent_downloaded_bytes", "payload bytes received", true,
            s -> s.downloadedBytes.get());
        perTorrent(daemon, "spate_torrent_uploaded_bytes", "payload bytes sent", true, s -> s.uploadedBytes.get());
        perTorrent(daemon, "spate_torrent_hash_failures", "pieces that failed their SHA-1 check", true,
            s -> s.hashFailures.get());
        perTorrent(daemon, "spate_torrent_peers_banned", "peers closed for bad data or protocol violations", true,
            s -> s.peersBanned.get());
        perTorrent(daemon, "spate_torrent_download_rate_bytes_per_second", "download rate", false,
            s -> s.downloadRate.get());
        perTorrent(daemon, "spate_torrent_upload_rate_bytes_per_second", "upload rate", false,
            s -> s.uploadRate.get());
        perTorrent(daemon, "spate_torrent_peers", "connected peers", false, s -> s.peersConnected.get());
        perTorrent(daemon, "spate_torrent_verified_bytes", "bytes verified and held", false,
            s -> s.verifiedBytes.get());
        GaugeWithCallback.builder().name("spate_torrent_rehashed_pieces")
            .help("pieces hashed at the torrent's last start (spot checks after a fast resume, all after a full one)")
            .labelNames("info_hash", "name")
            .callback(cb -> eachTorrent(daemon, (torrent, handle) ->
                cb.call(torrent.rehashedPieces(), torrent.infoHash(), torrent.metainfo().name())))
            .register(registry);
        GaugeWithCallback.builder().name("spate_torrents").help("torrents by state").labelNames("state")
            .callback(cb ->
            {
                final int[] counts = new int[ManagedTorrent.State.values().length];
                daemon.snapshot().forEach(t -> counts[t.state().ordinal()]++);
                for (final ManagedTorrent.State state : ManagedTorrent.State.values())
                {
                    cb.call(counts[state.ordinal()], state.name().toLowerCase(Locale.ROOT));
                }
            })
            .register(registry);
        final CloseCounters closes = daemon.engine().closeCounters();
        CounterWithCallback.builder().name("spate_connection_closes").help("peer connections closed, by reason")
            .labelNames("reason")
            .callback(cb ->
            {
                for (final CloseReason reason : CloseReason.values())
                {
                    cb.call(closes.get(reason), reason.name().toLowerCase(Locale.ROOT));
                }
            })
            .register(registry);
        latency(daemon, "spate_request_round_trip_seconds", "REQUEST sent to its block received",
            s -> s.requestRoundTrip);
        latency(daemon, "spate_piece_verify_seconds", "last block of a piece received to its SHA-1 verdict",
            s -> s.pieceVerify);
        JvmMetrics.builder().register(registry);
    }

    String scrape()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try
        {
            writer.write(out, registry.scrape());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("writing to memory cannot fail", ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void perTorrent(final Daemon daemon, final String name, final String help, final boolean counter,
        final ToLongFunction<TorrentStats> value)
    {
        if (counter)
        {
            CounterWithCallback.builder().name(name).help(help).labelNames("info_hash", "name")
                .callback(cb -> eachTorrent(daemon, (torrent, handle) ->
                    cb.call(value.applyAsLong(handle.stats()), torrent.infoHash(), torrent.metainfo().name())))
                .register(registry);
        }
        else
        {
            GaugeWithCallback.builder().name(name).help(help).labelNames("info_hash", "name")
                .callback(cb -> eachTorrent(daemon, (torrent, handle) ->
                    cb.call(value.applyAsLong(handle.stats()), torrent.infoHash(), torrent.metainfo().name())))
                .register(registry);
        }
    }

    private void latency(final Daemon daemon, final String name, final String help,
        final java.util.function.Function<TorrentStats, LatencyRecorder> recorder)
    {
        SummaryWithCallback.builder().name(name).help(help).labelNames("info_hash", "name")
            .callback(cb -> eachTorrent(daemon, (torrent, handle) ->
            {
                final Histogram h = recorder.apply(handle.stats()).snapshot();
                final Quantile[] quantiles = new Quantile[QUANTILES.length];
                for (int i = 0; i < QUANTILES.length; i++)
                {
                    quantiles[i] = new Quantile(QUANTILES[i], h.getValueAtPercentile(QUANTILES[i] * 100) / 1e9);
                }
                final double sum = h.getTotalCount() == 0 ? 0 : h.getMean() * h.getTotalCount() / 1e9;
                cb.call(h.getTotalCount(), sum, Quantiles.of(quantiles), torrent.infoHash(),
                    torrent.metainfo().name());
            }))
            .register(registry);
    }

    /** Runs {@code action} for each running torrent (a stopped one has no live figures). */
    private static void eachTorrent(final Daemon daemon, final BiConsumer<ManagedTorrent, TorrentHandle> action)
    {
        for (final ManagedTorrent torrent : daemon.snapshot())
        {
            final TorrentHandle handle = torrent.handle();
            if (handle != null && torrent.metainfo() != null)
            {
                action.accept(torrent, handle);
            }
        }
    }
}
