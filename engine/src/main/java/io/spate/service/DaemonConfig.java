package io.spate.service;

import io.spate.dht.DhtConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How a daemon starts: its state dir, the peer port and address, where its control API listens, and its DHT node.
 *
 * @param stateDir    torrents, resume data, settings, token.
 * @param peerPort    BitTorrent listen port (0 picks one).
 * @param peerBind    address peers reach us on, or null for every interface.
 * @param api         the control API's address; a non-loopback one requires the token.
 * @param threads     network agents, or 0 for one per core.
 * @param saveEveryMs how often resume data of torrents that changed is written.
 * @param dht         the DHT node's settings (bind address, bootstrap nodes), or null to stay off the DHT; the
 *                    daemon adds its saved id and nodes to them, so each start needs a config of its own.
 */
public record DaemonConfig(Path stateDir, int peerPort, InetAddress peerBind, InetSocketAddress api, int threads,
    long saveEveryMs, DhtConfig dht)
{
    public static final int DEFAULT_API_PORT = 9091;
    public static final long DEFAULT_SAVE_EVERY_MS = 3_000;

    /** A daemon off the DHT. */
    public DaemonConfig(final Path stateDir, final int peerPort, final InetAddress peerBind,
        final InetSocketAddress api, final int threads, final long saveEveryMs)
    {
        this(stateDir, peerPort, peerBind, api, threads, saveEveryMs, null);
    }

    public DaemonConfig
    {
        if (peerPort < 0 || peerPort > 65535)
        {
            throw new IllegalArgumentException("--port must be 0..65535, got " + peerPort);
        }
        if (threads < 0 || threads > 256)
        {
            throw new IllegalArgumentException("--threads must be 1..256, got " + threads);
        }
        if (saveEveryMs < 100)
        {
            throw new IllegalArgumentException("resume data save period must be at least 100 ms, got " + saveEveryMs);
        }
    }

    /** @return whether the API needs the token: bound anywhere a remote host could reach. */
    public boolean apiNeedsToken()
    {
        return !api.getAddress().isLoopbackAddress();
    }
}
