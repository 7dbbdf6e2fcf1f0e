package io.spate.agent;

import io.spate.metrics.CloseCounters;
import io.spate.peer.CloseReason;
import io.spate.peer.HandshakeRouter;
import io.spate.peer.PeerConnection;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening socket, on the agent that owns it: accepts connections, holds them until their handshake names a
 * torrent, then attaches each to its torrent here or hands it to the agent that owns the torrent (through that
 * agent's command queue, once this thread has left the connection: no two threads ever touch it).
 */
final class Acceptor implements HandshakeRouter
{
    private static final int ACCEPTS_PER_CYCLE = 16;

    private final NetworkAgent agent;
    private final AgentDirectory directory;
    private final CloseCounters closeCounters;
    private final List<PeerConnection> handshaking = new ArrayList<>();
    private ServerSocketChannel listener;
    private PeerConnection handoffPeer;
    private AgentDirectory.Entry handoffEntry;

    Acceptor(final NetworkAgent agent, final AgentDirectory directory, final CloseCounters closeCounters)
    {
        this.agent = agent;
        this.directory = directory;
        this.closeCounters = closeCounters;
    }

    void listen(final ServerSocketChannel channel)
    {
        this.listener = channel;
    }

    void accept(final long nowNs)
    {
        for (int i = 0; i < ACCEPTS_PER_CYCLE; i++)
        {
            try
            {
                final SocketChannel channel = listener.accept();
                if (channel == null)
                {
                    return;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final PeerConnection peer = agent.newConnection(
                    channel, (InetSocketAddress)channel.getRemoteAddress(), false);
                peer.router(this);
                peer.key(agent.register(channel, SelectionKey.OP_READ, peer));
                handshaking.add(peer);
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }

    /** Once a second: connections that have not sent a whole handshake in time are closed. */
    void onTick(final long nowNs)
    {
        for (int i = handshaking.size() - 1; i >= 0; i--)
        {
            final PeerConnection peer = handshaking.get(i);
            if (nowNs - peer.traffic().lastReceiveNs() > PeerConnection.HANDSHAKE_TIMEOUT_NS)
            {
                peer.close(CloseReason.TIMEOUT, "no handshake in 20 s");
            }
        }
    }

    @Override
    public Outcome route(final PeerConnection peer, final byte[] infoHash, final byte[] peerId)
    {
        handshaking.remove(peer);
        final AgentDirectory.Entry entry = directory.find(infoHash);
        if (entry == null)
        {
            return Outcome.REFUSED;
        }
        if (entry.agent() == agent)
        {
            agent.attach(peer, entry.session());
            entry.session().add(peer);
            return Outcome.ATTACHED;
        }
        peer.key().cancel();
        peer.key(null);
        handoffPeer = peer;
        handoffEntry = entry;
        return Outcome.HANDED_OVER;
    }

    /** Called once the reading thread has left a connection routed elsewhere: the owning agent takes it now. */
    void completeHandoff()
    {
        if (handoffPeer == null)
        {
            return;
        }
        final PeerConnection peer = handoffPeer;
        final AgentDirectory.Entry entry = handoffEntry;
        handoffPeer = null;
        handoffEntry = null;
        entry.agent().offer(() -> entry.agent().adopt(peer, entry.session()));
    }

    @Override
    public void onClosed(final PeerConnection peer, final CloseReason reason, final String detail)
    {
        handshaking.remove(peer);
        closeCounters.increment(reason);
    }

    void close()
    {
        for (int i = handshaking.size() - 1; i >= 0; i--)
        {
            handshaking.get(i).close(CloseReason.SHUTDOWN, "engine closing");
        }
        CloseHelper.quietClose(listener);
    }
}
