package io.spate.cli;

import io.spate.dht.DhtConfig;
import io.spate.dht.DhtNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The DHT node of a {@code seed} or {@code leech} run: {@code --dht-port} and {@code --dht-bootstrap}. */
final class CliDht
{
    /** How long a magnet's resolution waits for one DHT lookup per round. */
    private static final long LOOKUP_WAIT_S = 15;

    private CliDht()
    {
    }

    static void validate(final PeerOptions options)
    {
        if (options.dhtPort() == null)
        {
            if (!options.dhtBootstrap().isEmpty())
            {
                throw new UsageException("--dht-bootstrap needs --dht-port");
            }
            return;
        }
        if (options.dhtPort() < 0 || options.dhtPort() > 65535)
        {
            throw new UsageException("--dht-port must be 0..65535, got " + options.dhtPort());
        }
        for (final String node : options.dhtBootstrap())
        {
            try
            {
                DhtConfig.parseHostPort(node);
            }
            catch (final IllegalArgumentException e)
            {
                throw new UsageException("--dht-bootstrap: " + e.getMessage());
            }
        }
    }

    /** @return the started node, or null without {@code --dht-port}. */
    static DhtNode start(final PeerOptions options) throws IOException
    {
        if (options.dhtPort() == null)
        {
            return null;
        }
        final InetAddress bind = options.bind() == null ? null : InetAddress.getByName(options.bind());
        final DhtConfig config = new DhtConfig().bind(bind == null ? new InetSocketAddress(options.dhtPort()) :
            new InetSocketAddress(bind, options.dhtPort()));
        options.dhtBootstrap().forEach(config::bootstrap);
        try
        {
            return DhtNode.start(config);
        }
        catch (final IOException e)
        {
            throw new IOException("--dht-port " + options.dhtPort() + ": " + e.getMessage(), e);
        }
    }

    /** @return the peers one get_peers lookup finds (none if it fails or takes too long): a magnet's peer source. */
    static List<InetSocketAddress> peers(final DhtNode dht, final byte[] infoHash)
    {
        try
        {
            return dht.getPeers(infoHash).get(LOOKUP_WAIT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return List.of();
        }
        catch (final Exception e)
        {
            return List.of();
        }
    }
}
