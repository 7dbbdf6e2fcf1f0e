package io.spate.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Announce load on a UDP tracker (BEP 15), for tools/tracker-udp-load.sh: one socket keeps WINDOW announces in flight
 * for SECONDS, each for one of the whitelisted info-hashes from a new peer (port field cycling), and prints one JSON
 * line: announces answered per second, latency percentiles (HdrHistogram, send to reply), and requests lost (no reply
 * within a second). The connection id is renewed every 30 s. Bounded by SECONDS; loopback targets only.
 * <pre>
 *   java -cp bench/target/bench.jar io.spate.bench.UdpTrackerLoad 127.0.0.1 6969 10 64 WHITELIST
 * </pre>
 */
public final class UdpTrackerLoad
{
    private static final long PROTOCOL_ID = 0x41727101980L;
    private static final long LOST_AFTER_NS = 1_000_000_000L;
    private static final long RENEW_NS = 30_000_000_000L;

    private UdpTrackerLoad()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 5)
        {
            System.err.println("usage: UdpTrackerLoad HOST PORT SECONDS WINDOW WHITELIST");
            System.exit(2);
        }
        final InetSocketAddress tracker = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        if (!tracker.getAddress().isLoopbackAddress())
        {
            throw new IllegalArgumentException("loopback targets only: " + tracker);
        }
        final long durationNs = Long.parseLong(args[2]) * 1_000_000_000L;
        final int window = Integer.parseInt(args[3]);
        final List<String> lines = Files.readAllLines(Path.of(args[4]));
        final byte[][] hashes = new byte[lines.size()][];
        for (int i = 0; i < hashes.length; i++)
        {
            hashes[i] = HexFormat.of().parseHex(lines.get(i).trim());
        }

        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.connect(tracker);
            channel.configureBlocking(true);
            channel.socket().setSoTimeout(0);
            long connectionId = connect(channel);
            long connectedAt = System.nanoTime();
            channel.configureBlocking(false);

            final long[] sentAt = new long[window];
            final int[] txOfSlot = new int[window];
            final Histogram latency = new Histogram(10_000_000_000L, 3);
            final ByteBuffer request = ByteBuffer.allocate(98);
            final ByteBuffer reply = ByteBuffer.allocate(2048);
            final byte[] peerId = new byte[20];
            ThreadLocalRandom.current().nextBytes(peerId);
            long answered = 0;
            long lost = 0;
            long errors = 0;
            int nextTx = 1;
            final long start = System.nanoTime();
            final long end = start + durationNs;
            int inFlight = 0;
            long sequence = 0;
            while (true)
            {
                final long now = System.nanoTime();
                if (now >= end)
                {
                    break;
                }
                if (now - connectedAt > RENEW_NS && inFlight == 0)
                {
                    channel.configureBlocking(true);
                    connectionId = connect(channel);
                    connectedAt = System.nanoTime();
                    channel.configureBlocking(false);
                }
                for (int slot = 0; slot < window; slot++)
                {
                    if (sentAt[slot] != 0 && now - sentAt[slot] > LOST_AFTER_NS)
                    {
                        sentAt[slot] = 0;
                        lost++;
                        inFlight--;
                    }
                    if (sentAt[slot] == 0 && !(now - connectedAt > RENEW_NS))
                    {
                        final int tx = nextTx++ * window + slot; // the slot is recoverable from the transaction id
                        final byte[] hash = hashes[(int)(sequence % hashes.length)];
                        peerId[19] = (byte)sequence;
                        peerId[18] = (byte)(sequence >>> 8);
                        request.clear();
                        request.putLong(connectionId).putInt(1).putInt(tx).put(hash).put(peerId).putLong(0)
                            .putLong((sequence & 1) == 0 ? 0 : 1000).putLong(0).putInt(0).putInt(0).putInt(0)
                            .putInt(50).putShort((short)(1024 + sequence % 60_000)).flip();
                        sequence++;
                        if (channel.write(request) == 0)
                        {
                            break;
                        }
                        sentAt[slot] = System.nanoTime();
                        txOfSlot[slot] = tx;
                        inFlight++;
                    }
                }
                reply.clear();
                while (channel.read(reply) > 0)
                {
                    reply.flip();
                    if (reply.limit() >= 8)
                    {
                        final int tx = reply.getInt(4);
                        final int slot = Math.floorMod(tx, window);
                        if (sentAt[slot] != 0 && txOfSlot[slot] == tx)
                        {
                            if (reply.getInt(0) == 1)
                            {
                                latency.recordValue(System.nanoTime() - sentAt[slot]);
                                answered++;
                            }
                            else
                            {
                                errors++;
                            }
                            sentAt[slot] = 0;
                            inFlight--;
                        }
                    }
                    reply.clear();
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                "{\"announces_per_s\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"answered\":%d," +
                "\"lost\":%d,\"errors\":%d,\"window\":%d,\"seconds\":%.2f}",
                answered / seconds, latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                latency.getValueAtPercentile(99.9) / 1e6, answered, lost, errors, window, seconds));
        }
    }

    private static void sleepQuietly()
    {
        try
        {
            Thread.sleep(100);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static long connect(final DatagramChannel channel) throws IOException
    {
        final int tx = ThreadLocalRandom.current().nextInt();
        final ByteBuffer request = ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(0).putInt(tx).flip();
        final ByteBuffer reply = ByteBuffer.allocate(64);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            channel.write(request.duplicate());
            channel.socket().setSoTimeout(200);
            reply.clear();
            try
            {
                channel.socket().getChannel().configureBlocking(true);
                final java.net.DatagramPacket p = new java.net.DatagramPacket(reply.array(), 64);
                channel.socket().receive(p);
                final ByteBuffer r = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                if (p.getLength() >= 16 && r.getInt(0) == 0 && r.getInt(4) == tx)
                {
                    return r.getLong(8);
                }
            }
            catch (final java.net.SocketTimeoutException | java.net.PortUnreachableException ex)
            {
                sleepQuietly(); // try again: the tracker may still be starting
            }
        }
        throw new IOException("no connect reply from the tracker");
    }
}
