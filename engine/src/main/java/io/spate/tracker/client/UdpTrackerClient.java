package io.spate.tracker.client;

import io.spate.tracker.AnnounceEvent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Announces over the UDP tracker protocol (BEP 15; {@code udp://host:port}, what most public trackers speak):
 * a connect exchange for a connection id (kept for a minute per tracker, with the socket it was given to: at most one
 * open socket per tracker), then the announce. Control path, blocking.
 * <p>
 * Retries are quicker than BEP 15's 15 x 2^n s, which suit a daemon but not a command a user waits on: each request
 * is sent up to {@value #ATTEMPTS} times with waits that double from an eighth of the client's time-out, so a silent
 * tracker costs about the time-out in all. Replies are checked (length, action, transaction id) before use; an error
 * reply is a {@link TrackerFailureException} with the tracker's message.
 */
final class UdpTrackerClient
{
    private static final long PROTOCOL_ID = 0x41727101980L;
    private static final int CONNECT = 0;
    private static final int ANNOUNCE = 1;
    private static final int ERROR = 3;
    private static final int ATTEMPTS = 3;
    private static final long CONNECTION_ID_LIFETIME_NS = 60_000_000_000L;
    private static final int MAX_REPLY = 64 * 1024;

    private final long timeoutMs;
    private final int key = ThreadLocalRandom.current().nextInt();
    private final Map<InetSocketAddress, Connection> connections = new HashMap<>();

    UdpTrackerClient(final long timeoutMs)
    {
        this.timeoutMs = timeoutMs;
    }

    synchronized AnnounceResponse announce(final URI url, final AnnounceParams params) throws IOException
    {
        if (url.getHost() == null || url.getPort() < 1)
        {
            throw new IOException("udp tracker URL needs a host and a port: " + url);
        }
        final InetSocketAddress tracker = new InetSocketAddress(url.getHost(), url.getPort());
        if (tracker.isUnresolved())
        {
            throw new UnknownHostException(url.getHost());
        }
        final Connection connection = connection(tracker);
        try
        {
            final DatagramChannel channel = connection.channel;
            final long connectionId = connection.id;
            final int transaction = ThreadLocalRandom.current().nextInt();
            final ByteBuffer request = ByteBuffer.allocate(98);
            request.putLong(connectionId).putInt(ANNOUNCE).putInt(transaction).put(params.infoHash())
                .put(params.peerId()).putLong(params.downloaded()).putLong(params.left()).putLong(params.uploaded())
                .putInt(params.event().udpCode()).putInt(0).putInt(key).putInt(params.numWant())
                .putShort((short)params.port()).flip();
            final ByteBuffer reply = exchange(channel, request, ANNOUNCE, transaction, 20);
            final int interval = reply.getInt(8);
            final int leechers = reply.getInt(12);
            final int seeders = reply.getInt(16);
            final int stride = tracker.getAddress().getAddress().length == 4 ? 6 : 18;
            final List<InetSocketAddress> peers = new ArrayList<>();
            for (int at = 20; at + stride <= reply.limit(); at += stride)
            {
                final byte[] address = new byte[stride - 2];
                reply.get(at, address);
                final int port = reply.getShort(at + stride - 2) & 0xFFFF;
                if (port != 0)
                {
                    peers.add(new InetSocketAddress(InetAddress.getByAddress(address), port));
                }
            }
            return new AnnounceResponse(Math.max(1, interval), -1, seeders, leechers, peers, null);
        }
        catch (final IOException | RuntimeException ex)
        {
            forget(tracker); // a fresh socket and connect exchange next time
            throw ex;
        }
    }

    /**
     * The socket and connection id for the tracker: the ones of the last minute (a tracker may tie the id to the
     * socket's port, so both are kept), or a new socket and a connect exchange.
     */
    private Connection connection(final InetSocketAddress tracker) throws IOException
    {
        final Connection cached = connections.get(tracker);
        if (cached != null && System.nanoTime() - cached.atNs < CONNECTION_ID_LIFETIME_NS)
        {
            return cached;
        }
        forget(tracker);
        final DatagramChannel channel = DatagramChannel.open();
        try
        {
            channel.connect(tracker);
            final int transaction = ThreadLocalRandom.current().nextInt();
            final ByteBuffer request = ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT)
                .putInt(transaction);
            final long id = exchange(channel, request.flip(), CONNECT, transaction, 16).getLong(8);
            final Connection connection = new Connection(channel, id, System.nanoTime());
            connections.put(tracker, connection);
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private void forget(final InetSocketAddress tracker) throws IOException
    {
        final Connection old = connections.remove(tracker);
        if (old != null)
        {
            old.channel.close();
        }
    }

    /** A socket connected to one tracker and the connection id the tracker gave it. */
    private record Connection(DatagramChannel channel, long id, long atNs)
    {
    }

    /** Sends the request and waits for its reply, resending with doubling waits; @return the checked reply. */
    private ByteBuffer exchange(final DatagramChannel channel, final ByteBuffer request, final int action,
        final int transaction, final int minLength) throws IOException
    {
        long waitMs = Math.max(1, timeoutMs / 8);
        final ByteBuffer reply = ByteBuffer.allocate(MAX_REPLY);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++, waitMs *= 2)
        {
            channel.write(request.duplicate());
            final long deadline = System.nanoTime() + waitMs * 1_000_000L;
            while (true)
            {
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    break;
                }
                reply.clear();
                if (!receive(channel, reply, left))
                {
                    break;
                }
                reply.flip();
                if (reply.limit() < 8 || reply.getInt(4) != transaction)
                {
                    continue; // not the answer to this request (a late reply to an earlier one, or noise)
                }
                if (reply.getInt(0) == ERROR)
                {
                    final byte[] message = new byte[reply.limit() - 8];
                    reply.get(8, message);
                    throw new TrackerFailureException(new String(message, StandardCharsets.UTF_8));
                }
                if (reply.getInt(0) != action || reply.limit() < minLength)
                {
                    throw new IOException("udp tracker sent action " + reply.getInt(0) + " in " + reply.limit() +
                        " bytes, expected action " + action + " in at least " + minLength);
                }
                return reply;
            }
        }
        throw new SocketTimeoutException("udp tracker did not answer (" + ATTEMPTS + " tries)");
    }

    /** Waits up to {@code timeoutNs} for a datagram on the blocking, connected channel; @return false on time-out. */
    private static boolean receive(final DatagramChannel channel, final ByteBuffer into, final long timeoutNs)
        throws IOException
    {
        final java.net.DatagramSocket socket = channel.socket();
        socket.setSoTimeout((int)Math.max(1, timeoutNs / 1_000_000L));
        final java.net.DatagramPacket packet = new java.net.DatagramPacket(into.array(), into.capacity());
        try
        {
            socket.receive(packet);
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final java.net.PortUnreachableException ex)
        {
            throw new IOException("udp tracker port is closed: " + ex.getMessage(), ex);
        }
        into.position(packet.getLength());
        return true;
    }
}
