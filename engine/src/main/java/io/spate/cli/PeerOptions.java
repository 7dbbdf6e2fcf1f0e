package io.spate.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options shared by {@code seed} and {@code leech}. */
final class PeerOptions
{
    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "Directory holding (seed) or receiving (leech) the torrent's content.")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6881",
        description = "TCP port to listen on for peers (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR",
        description = "Address to listen on (default: all interfaces).")
    String bind;

    @Option(names = "--tracker", paramLabel = "URL",
        description = "Announce to this tracker (tried before the torrent's own); repeatable.")
    List<String> trackers = new ArrayList<>();

    @Option(names = "--peer", paramLabel = "HOST:PORT",
        description = "Connect to this peer directly (besides the tracker's); repeatable.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--no-tracker", description = "Do not announce to any tracker (use --peer).")
    boolean noTracker;

    @Option(names = "--threads", paramLabel = "N",
        description = "Network agent threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--json", description = "Print one JSON object per line on stdout: started, progress, complete, "
        + "stopped, error.")
    boolean json;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "1",
        description = "Seconds between progress reports when not on a terminal (default: ${DEFAULT-VALUE}).")
    double progressInterval;
}
