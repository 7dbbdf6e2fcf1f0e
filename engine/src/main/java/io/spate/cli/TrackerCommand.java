package io.spate.cli;

import io.netty.util.NetUtil;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;
import io.spate.tracker.server.Whitelist;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/**
 * {@code tracker}: runs the HTTP tracker (announce and scrape) until SIGTERM or Ctrl-C, then exits 0.
 */
final class TrackerCommand implements CliCommand
{
    static final int DEFAULT_PORT = 6969;
    static final int DEFAULT_INTERVAL = 1800;

    @Override
    public String name()
    {
        return "tracker";
    }

    @Override
    public String summary()
    {
        return "Run an HTTP BitTorrent tracker (announce, scrape) until SIGTERM or Ctrl-C.";
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
            .addOption(valued("bind", "ADDR", "IP address to listen on; repeat for several (default: all " +
                "interfaces, IPv4 and IPv6)."))
            .addOption(valued("port", "PORT", "Port for HTTP (TCP) and UDP (BEP 15) announces (default: " +
                DEFAULT_PORT + "; 0 picks a free one)."))
            .addOption(valued("interval", "SECONDS", "Re-announce interval sent to peers; silent peers expire " +
                "after twice this (default: " + DEFAULT_INTERVAL + ")."))
            .addOption(valued("whitelist", "FILE", "Serve only the info-hashes in FILE (40 hex characters a line)."))
            .addOption(flag("trust-ip-param", "Use an announce's ip parameter as the peer's address (default: the " +
                "connection's source)."))
            .addOption(flag("json", "Print one JSON object per line (started, stopped) for scripts."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        final int port = args.integer("port", DEFAULT_PORT);
        final int interval = args.integer("interval", DEFAULT_INTERVAL);
        final Path whitelist = args.path("whitelist");
        final boolean json = args.flag("json");
        final List<String> bind = args.strings("bind");
        if (port < 0 || port > 65535)
        {
            throw new UsageException("--port must be 0..65535, got " + port);
        }
        if (interval < 1 || interval > 86_400)
        {
            throw new UsageException("--interval must be 1..86400 seconds, got " + interval);
        }
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final String address : bind.isEmpty() ? List.of("::") : bind)
        {
            final byte[] literal = NetUtil.createByteArrayFromIpAddressString(address);
            if (literal == null)
            {
                throw new UsageException("--bind: not an IP address: " + address);
            }
            addresses.add(new InetSocketAddress(InetAddress.getByAddress(literal), port));
        }
        TrackerConfig config = TrackerConfig.withInterval(interval).trustIpParam(args.flag("trust-ip-param"));
        if (whitelist != null)
        {
            config = config.whitelist(Whitelist.read(whitelist));
        }

        final HttpTrackerServer server = startServer(config, addresses);
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread hook = new Thread(server::close, "spate-tracker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onTermination(stop::countDown);
        final StringJoiner list = new StringJoiner(json ? "\",\"" : " ", json ? "[\"" : "", json ? "\"]" : "");
        for (final InetSocketAddress a : server.boundAddresses())
        {
            list.add(NetUtil.toSocketAddressString(a));
        }
        final String transport = server.isEpoll() ? "epoll" : "nio";
        out.println(json ?
            "{\"event\":\"started\",\"addresses\":" + list + ",\"port\":" + server.port() + ",\"transport\":\"" +
            transport + "\",\"interval\":" + interval + "}" :
            "tracker listening on " + list + " (http and udp, " + transport + "), interval " + interval + " s" +
            (whitelist != null ? ", whitelist " + whitelist : ""));
        out.flush();

        stop.await();
        server.close();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignored)
        {
            // already shutting down
        }
        out.println(json ? "{\"event\":\"stopped\"}" : "tracker stopped");
        out.flush();
        return Main.EXIT_OK;
    }

    private static HttpTrackerServer startServer(final TrackerConfig config, final List<InetSocketAddress> addresses)
        throws Exception
    {
        final HttpTrackerServer server = new HttpTrackerServer(config, addresses);
        try
        {
            return server.start();
        }
        catch (final java.io.IOException e)
        {
            // the default "::" fails where IPv6 is disabled: fall back to IPv4
            if (addresses.size() == 1 && addresses.get(0).getAddress().isAnyLocalAddress() &&
                addresses.get(0).getAddress().getAddress().length == 16)
            {
                return new HttpTrackerServer(config, List.of(new InetSocketAddress("0.0.0.0",
                    addresses.get(0).getPort()))).start();
            }
            throw e;
        }
    }
}
