package io.spate.cli;

import io.spate.dht.DhtConfig;
import io.spate.dht.DhtNode;
import io.spate.dht.DhtPeerSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The DHT options, {@code --dht-port} and {@code --dht-bootstrap}: checked and turned into a node's settings the
 * same way for {@code seed}, {@code leech} and {@code daemon} (which adds its saved node id and nodes to them).
 */
final class CliDht
{
    private CliDht()
    {
    }

    static void validate(final PeerOptions options)
    {
        validate(options.dhtPort(), options.dhtBootstrap());
    }

    /** @throws UsageException for a port out of range, a bootstrap node that is not HOST:PORT, or one without a port. */
    static void validate(final Integer dhtPort, final List<String> bootstrap)
    {
        if (dhtPort == null)
        {
            if (!bootstrap.isEmpty())
            {
                throw new UsageException("--dht-bootstrap needs --dht-port");
            }
            return;
        }
        if (dhtPort < 0 || dhtPort > 65535)
        {
            throw new UsageException("--dht-port must be 0..65535, got " + dhtPort);
        }
        for (final String node : bootstrap)
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

    /**
     * @param bind the {@code --bind} address (the node listens there too), or null for every interface.
     * @return the node's settings, or null without {@code --dht-port}.
     */
    static DhtConfig config(final Integer dhtPort, final String bind, final List<String> bootstrap)
        throws IOException
    {
        validate(dhtPort, bootstrap);
        if (dhtPort == null)
        {
            return null;
        }
        final InetAddress address = bind == null ? null : InetAddress.getByName(bind);
        final DhtConfig config = new DhtConfig().bind(address == null ? new InetSocketAddress(dhtPort) :
            new InetSocketAddress(address, dhtPort));
        bootstrap.forEach(config::bootstrap);
        return config;
    }

    /** @return the started node, or null without {@code --dht-port}. */
    static DhtNode start(final PeerOptions options) throws IOException
    {
        final DhtConfig config = config(options.dhtPort(), options.bind(), options.dhtBootstrap());
        if (config == null)
        {
            return null;
        }
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
        return DhtPeerSource.lookupOnce(dht, infoHash, DhtPeerSource.LOOKUP_WAIT);
    }
}
