package io.spate.cli;

import io.netty.util.NetUtil;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;
import io.spate.tracker.server.Whitelist;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tracker}: runs the HTTP tracker (announce and scrape) until SIGTERM or Ctrl-C, then exits 0.
 */
@Command(
    name = "tracker",
    mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Run an HTTP BitTorrent tracker (announce, scrape) until SIGTERM or Ctrl-C.")
public final class TrackerCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bind", paramLabel = "ADDR",
        description = "IP address to listen on; repeat for several (default: all interfaces, IPv4 and IPv6).")
    List<String> bind = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6969",
        description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1800",
        description = "Re-announce interval sent to peers; silent peers expire after twice this (default: "
            + "${DEFAULT-VALUE}).")
    int interval;

    @Option(names = "--whitelist", paramLabel = "FILE",
        description = "Serve only the info-hashes in FILE (40 hex characters a line).")
    Path whitelist;

    @Option(names = "--trust-ip-param",
        description = "Use an announce's ip parameter as the peer's address (default: the connection's source).")
    boolean trustIpParam;

    @Option(names = "--json", description = "Print one JSON object per line (started, stopped) for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception
    {
        if (port < 0 || port > 65535)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, got " + port);
        }
        if (interval < 1 || interval > 86_400)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--interval must be 1..86400 seconds, got " + interval);
        }
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final String address : bind.isEmpty() ? List.of("::") : bind)
        {
            final byte[] literal = NetUtil.createByteArrayFromIpAddressString(address);
            if (literal == null)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--bind: not an IP address: " + address);
            }
            addresses.add(new InetSocketAddress(InetAddress.getByAddress(literal), port));
        }
        TrackerConfig config = TrackerConfig.withInterval(interval).trustIpParam(trustIpParam);
        if (whitelist != null)
        {
            config = config.whitelist(Whitelist.read(whitelist));
        }

        final HttpTrackerServer server = startServer(config, addresses);
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread hook = new Thread(server::close, "spate-tracker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onTermination(stop::countDown);
        final PrintWriter out = spec.commandLine().getOut();
        final StringJoiner list = new StringJoiner(json ? "\",\"" : " ", json ? "[\"" : "", json ? "\"]" : "");
        for (final InetSocketAddress a : server.boundAddresses())
        {
            list.add(NetUtil.toSocketAddressString(a));
        }
        final String transport = server.isEpoll() ? "epoll" : "nio";
        out.println(json ?
            "{\"event\":\"started\",\"addresses\":" + list + ",\"port\":" + server.port() + ",\"transport\":\"" +
            transport + "\",\"interval\":" + interval + "}" :
            "tracker listening on " + list + " (" + transport + "), interval " + interval + " s" +
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
