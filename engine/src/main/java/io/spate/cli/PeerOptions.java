package io.spate.cli;

import io.spate.choke.Choker;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.List;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/** Options shared by {@code seed} and {@code leech}, as declared and as read. */
record PeerOptions(
    Path dir,
    int port,
    String bind,
    List<String> trackers,
    List<String> peers,
    boolean noTracker,
    Integer threads,
    boolean json,
    double progressInterval,
    Choker.SeedChoking seedChoking,
    boolean superSeed,
    boolean freeRider,
    boolean sequential,
    long maxUploadRate,
    long maxDownloadRate,
    Integer dhtPort,
    List<String> dhtBootstrap)
{
    static final int DEFAULT_PORT = 6881;

    static Options define(final Options options)
    {
        return options
            .addOption(valued("dir", "DIR", "Directory holding (seed) or receiving (leech) the torrent's content. " +
                "Required."))
            .addOption(valued("port", "PORT", "TCP port to listen on for peers (default: " + DEFAULT_PORT +
                "; 0 picks a free one)."))
            .addOption(valued("bind", "ADDR", "Address to listen on (default: all interfaces)."))
            .addOption(valued("tracker", "URL", "Announce to this tracker (tried before the torrent's own); " +
                "repeatable."))
            .addOption(valued("peer", "HOST:PORT", "Connect to this peer directly (besides the tracker's); " +
                "repeatable."))
            .addOption(flag("no-tracker", "Do not announce to any tracker (use --peer)."))
            .addOption(valued("threads", "N", "Network agent threads (default: the number of cores)."))
            .addOption(flag("json", "Print one JSON object per line on stdout: started, progress, complete, " +
                "stopped, error."))
            .addOption(valued("progress-interval", "SECONDS", "Seconds between progress reports when not on a " +
                "terminal (default: 1)."))
            .addOption(valued("seed-choking", "fastest|round-robin", "While seeding, unchoke the peers we upload to " +
                "fastest, or each interested peer in turn (default: round-robin)."))
            .addOption(flag("super-seed", "Super-seeding (BEP 16) when seeding from the start: each peer is offered " +
                "one rare piece at a time. For an initial seed only."))
            .addOption(flag("sequential", "Download pieces in order, lowest first, rather than rarest first " +
                "(for streaming; spreads rare pieces slower)."))
            .addOption(flag("free-rider", "Experiments only: download but never upload (to measure incentives)."))
            .addOption(valued("max-upload-rate", "BYTES/S", "Upload at most this many bytes a second, e.g. 20M " +
                "(binary units; default: no limit)."))
            .addOption(valued("max-download-rate", "BYTES/S", "Download at most this many bytes a second, e.g. " +
                "20M (binary units; default: no limit)."))
            .addOption(valued("dht-port", "PORT", "Join the Mainline DHT (BEP 5) on this UDP port (0 picks a free " +
                "one) to find peers and announce; never for private torrents. Off by default."))
            .addOption(valued("dht-bootstrap", "HOST:PORT", "A DHT node to join through; repeatable (with " +
                "--dht-port)."));
    }

    private static Choker.SeedChoking seedChoking(final String value)
    {
        if (value == null || value.equals("round-robin"))
        {
            return Choker.SeedChoking.ROUND_ROBIN;
        }
        if (value.equals("fastest"))
        {
            return Choker.SeedChoking.FASTEST;
        }
        throw new UsageException("--seed-choking: '" + value + "' is neither fastest nor round-robin");
    }

    private static long rate(final String option, final Long bytesPerSecond)
    {
        if (bytesPerSecond != null && bytesPerSecond < 0)
        {
            throw new UsageException("--" + option + ": must not be negative");
        }
        return bytesPerSecond == null ? 0 : bytesPerSecond;
    }

    static PeerOptions from(final Args args)
    {
        return new PeerOptions(
            args.requiredPath("dir"),
            args.integer("port", DEFAULT_PORT),
            args.string("bind"),
            args.strings("tracker"),
            args.strings("peer"),
            args.flag("no-tracker"),
            args.integer("threads"),
            args.flag("json"),
            args.decimal("progress-interval", 1.0),
            seedChoking(args.string("seed-choking")),
            args.flag("super-seed"),
            args.flag("free-rider"),
            args.flag("sequential"),
            rate("max-upload-rate", args.size("max-upload-rate")),
            rate("max-download-rate", args.size("max-download-rate")),
            args.integer("dht-port"),
            args.strings("dht-bootstrap"));
    }
}
