package io.spate.cli;

import io.spate.service.Daemon;
import io.spate.service.DaemonConfig;
import io.spate.service.api.ApiServer;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/**
 * {@code daemon --state DIR}: one engine running many torrents, controlled over the HTTP API (and the dashboard at its
 * root) until SIGTERM or Ctrl-C, which stops every torrent, writes its resume data and exits 0.
 */
final class DaemonCommand implements CliCommand
{
    static final String DEFAULT_API = "127.0.0.1:" + DaemonConfig.DEFAULT_API_PORT;

    @Override
    public String name()
    {
        return "daemon";
    }

    @Override
    public String summary()
    {
        return "Run many torrents in one process, controlled over an HTTP JSON API (add, ls, rm, ... talk to it).";
    }

    @Override
    public List<String> details()
    {
        return List.of("State (torrents, resume data, settings, the API token) lives in --state and survives " +
            "restarts;", "the dashboard is at http://API/. Off loopback the API requires the token in " +
            "STATE/api-token.", "With --dht-port every public torrent also finds peers and announces through the " +
            "Mainline DHT;", "the node's id and the nodes it knew are kept in STATE/dht-nodes.json and rejoined " +
            "through at the next start.");
    }

    @Override
    public List<String> positionals()
    {
        return List.of();
    }

    @Override
    public Options options()
    {
        return new Options()
            .addOption(valued("state", "DIR", "State directory (created if missing). Required."))
            .addOption(valued("port", "PORT", "TCP port for peers (default: " + PeerOptions.DEFAULT_PORT +
                "; 0 picks a free one)."))
            .addOption(valued("bind", "ADDR", "Address to listen on for peers (default: all interfaces)."))
            .addOption(valued("api", "HOST:PORT", "Address of the control API and dashboard (default: " +
                DEFAULT_API + "; port 0 picks one)."))
            .addOption(valued("threads", "N", "Network agent threads (default: the number of cores)."))
            .addOption(valued("max-upload-rate", "RATE", "Global upload limit in bytes/s (K, M, G suffixes; 0 for " +
                "none); kept in the state dir like 'limit --up'."))
            .addOption(valued("max-download-rate", "RATE", "Global download limit in bytes/s (K, M, G suffixes; 0 " +
                "for none); kept in the state dir like 'limit --down'."))
            .addOption(valued("dht-port", "PORT", "Join the Mainline DHT (BEP 5) on this UDP port (0 picks a free " +
                "one): every torrent but private ones finds peers and announces there. Off by default."))
            .addOption(valued("dht-bootstrap", "HOST:PORT", "A DHT node to join through, besides the nodes saved " +
                "in the state dir; repeatable (with --dht-port)."))
            .addOption(flag("json", "Print the started and stopped events as JSON lines."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        final Path state = args.requiredPath("state");
        final int port = args.integer("port", PeerOptions.DEFAULT_PORT);
        final String bind = args.string("bind");
        final InetSocketAddress apiOption = HostPort.parse("api", args.string("api") == null ? DEFAULT_API :
            args.string("api"));
        final int threads = args.integer("threads", 0);
        if (threads < 0 || threads > 256)
        {
            throw new UsageException("--threads must be 1..256, got " + threads);
        }
        if (port < 0 || port > 65535)
        {
            throw new UsageException("--port must be 0..65535, got " + port);
        }
        final Integer dhtPort = args.integer("dht-port");
        final List<String> dhtBootstrap = args.strings("dht-bootstrap");
        CliDht.validate(dhtPort, dhtBootstrap);
        final boolean json = args.flag("json");
        final Long maxUp = args.size("max-upload-rate");
        final Long maxDown = args.size("max-download-rate");
        final InetSocketAddress api = new InetSocketAddress(InetAddress.getByName(apiOption.getHostString()),
            apiOption.getPort());
        final DaemonConfig config = new DaemonConfig(state, port, bind == null ? null : InetAddress.getByName(bind),
            api, threads, DaemonConfig.DEFAULT_SAVE_EVERY_MS, CliDht.config(dhtPort, bind, dhtBootstrap));
        final CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        try (Daemon daemon = Daemon.start(config, message -> warn(err, json, out, message));
            ApiServer server = new ApiServer(daemon, api, config.apiNeedsToken() ?
                daemon.state().apiToken() : null).start())
        {
            if (maxUp != null || maxDown != null)
            {
                final io.spate.service.Settings now = daemon.settings();
                daemon.updateSettings(new io.spate.service.Settings(maxUp != null ? maxUp : now.maxUploadRate(),
                    maxDown != null ? maxDown : now.maxDownloadRate()));
            }
            final String url = "http://" + hostForUrl(server.address()) + ":" + server.address().getPort() + "/";
            final int peerPort = daemon.engine().listenAddress().getPort();
            final Integer dhtUdpPort = daemon.dht() == null ? null : daemon.dht().localAddress().getPort();
            if (json)
            {
                final Json started = new Json().beginObject().field("event", "started").field("api", url)
                    .field("port", peerPort);
                if (dhtUdpPort != null)
                {
                    started.field("dht_port", dhtUdpPort).field("dht_id", daemon.dht().id().toString());
                }
                out.println(started.field("state", daemon.state().root().toString())
                    .field("torrents", daemon.snapshot().size()).endObject());
            }
            else
            {
                out.println("daemon: api " + url + " (dashboard), peers on port " + peerPort +
                    (dhtUdpPort == null ? "" : ", DHT on UDP port " + dhtUdpPort) + ", state " +
                    daemon.state().root() + ", " + daemon.snapshot().size() + " torrents" +
                    (config.apiNeedsToken() ? "; the API requires the token in " +
                    daemon.state().root().resolve("api-token") : ""));
            }
            out.flush();
            stop.await();
        }
        if (json)
        {
            out.println(new Json().beginObject().field("event", "stopped").endObject());
        }
        else
        {
            out.println("daemon: stopped");
        }
        return Main.EXIT_OK;
    }

    private static String hostForUrl(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static void warn(final PrintWriter err, final boolean json, final PrintWriter out, final String message)
    {
        if (json)
        {
            synchronized (out)
            {
                out.println(new Json().beginObject().field("event", "warning").field("message", message).endObject());
                out.flush();
            }
        }
        else
        {
            synchronized (err)
            {
                err.println("warning: " + message);
                err.flush();
            }
        }
    }
}
