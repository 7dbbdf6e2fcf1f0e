package io.spate.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.spate.tracker.AnnounceEvent;
import org.agrona.concurrent.EpochClock;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The UDP tracker protocol (BEP 15) in front of the same {@link SwarmRegistry} as the HTTP adapter, on the same event
 * loop thread (single writer). Connect replies carry a connection id that is an HMAC of the sender's address and
 * the minute under a secret of this process, so nothing is stored per client and a spoofed source never learns a
 * valid id; announces and scrapes with an id older than two minutes, malformed packets and unknown actions are
 * dropped without a reply (no reflection, no amplification). Refusals the registry names (whitelist, full) get an
 * error reply with the same reason the HTTP side gives.
 */
// shared by the UDP channels of one server (IPv4 and IPv6), all on its one event loop thread
@ChannelHandler.Sharable
final class UdpTrackerHandler extends SimpleChannelInboundHandler<DatagramPacket>
{
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    /** Announce requests are at least this long (BEP 15). */
    static final int ANNOUNCE_LENGTH = 98;
    /** BEP 15: about 74 info-hashes fit one scrape. */
    static final int MAX_SCRAPE_HASHES = 74;
    private static final long MINUTE_MS = 60_000;

    private final SwarmRegistry registry;
    private final EpochClock clock;
    private final javax.crypto.Mac mac;
    private final java.nio.ByteBuffer macInput = java.nio.ByteBuffer.allocate(24);
    private final byte[] macOutput = new byte[32];
    private final byte[] infoHash = new byte[20];
    private final byte[] peerId = new byte[20];
    private final byte[] address = new byte[16];
    private final AnnounceResult result = new AnnounceResult();
    private final ScrapeStats stats = new ScrapeStats();
    private long dropped;

    UdpTrackerHandler(final SwarmRegistry registry, final EpochClock clock)
    {
        super(true);
        this.registry = registry;
        this.clock = clock;
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try
        {
            this.mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        }
        catch (final java.security.GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", ex);
        }
    }

    /** @return packets dropped unanswered (malformed, unknown action, stale or forged connection id). */
    long dropped()
    {
        return dropped;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
    {
        final ByteBuf in = packet.content();
        final InetSocketAddress sender = packet.sender();
        if (in.readableBytes() < 16 || sender.getAddress() == null)
        {
            dropped++;
            return;
        }
        final long hi = PeerAddress.hi(sender.getAddress().getAddress());
        final long lo = PeerAddress.lo(sender.getAddress().getAddress());
        final int action = in.getInt(8);
        final int transaction = in.getInt(12);
        final long nowMs = clock.time();
        if (action == CONNECT && in.getLong(0) == PROTOCOL_ID)
        {
            final ByteBuf out = ctx.alloc().buffer(16).writeInt(CONNECT).writeInt(transaction)
                .writeLong(connectionId(hi, lo, nowMs / MINUTE_MS));
            ctx.write(new DatagramPacket(out, sender));
            return;
        }
        if (!validConnectionId(in.getLong(0), hi, lo, nowMs / MINUTE_MS))
        {
            dropped++;
            return;
        }
        if (action == ANNOUNCE && in.readableBytes() >= ANNOUNCE_LENGTH)
        {
            announce(ctx, in, sender, hi, lo, transaction, nowMs);
        }
        else if (action == SCRAPE && (in.readableBytes() - 16) % 20 == 0 && in.readableBytes() > 16)
        {
            scrape(ctx, in, sender, transaction, nowMs);
        }
        else
        {
            dropped++;
        }
    }

    private void announce(final ChannelHandlerContext ctx, final ByteBuf in, final InetSocketAddress sender,
        final long hi, final long lo, final int transaction, final long nowMs)
    {
        in.getBytes(16, infoHash);
        in.getBytes(36, peerId);
        final long left = in.getLong(64);
        final int eventCode = in.getInt(80);
        final AnnounceEvent event = AnnounceEvent.ofUdpCode(eventCode);
        final int numWant = in.getInt(92);
        final int port = in.getUnsignedShort(96);
        if (left < 0 || port == 0 || event == null)
        {
            error(ctx, sender, transaction, "bad announce: left " + left + ", port " + port + ", event " + eventCode);
            return;
        }
        registry.announce(infoHash, 0, peerId, 0, hi, lo, port, left, event,
            numWant < 0 ? 50 : Math.min(numWant, AnnounceResult.MAX_PEERS), nowMs, result);
        if (result.status() != AnnounceResult.Status.OK)
        {
            error(ctx, sender, transaction, result.status().reason());
            return;
        }
        final boolean v4 = PeerAddress.isV4(hi, lo);
        final ByteBuf out = ctx.alloc().buffer(20 + result.peerCount() * (v4 ? 6 : 18));
        out.writeInt(ANNOUNCE).writeInt(transaction).writeInt(result.intervalSeconds()).writeInt(result.incomplete())
            .writeInt(result.complete());
        for (int i = 0; i < result.peerCount(); i++)
        {
            if (result.isV4(i) != v4)
            {
                continue; // BEP 15: the reply's family is the request's
            }
            if (v4)
            {
                PeerAddress.writeV4(result.addressLo(i), address, 0);
                out.writeBytes(address, 0, 4);
            }
            else
            {
                PeerAddress.writeV6(result.addressHi(i), result.addressLo(i), address, 0);
                out.writeBytes(address, 0, 16);
            }
            out.writeShort(result.port(i));
        }
        ctx.write(new DatagramPacket(out, sender));
    }

    private void scrape(final ChannelHandlerContext ctx, final ByteBuf in, final InetSocketAddress sender,
        final int transaction, final long nowMs)
    {
        final int hashes = Math.min(MAX_SCRAPE_HASHES, (in.readableBytes() - 16) / 20);
        final ByteBuf out = ctx.alloc().buffer(8 + 12 * hashes).writeInt(SCRAPE).writeInt(transaction);
        for (int i = 0; i < hashes; i++)
        {
            in.getBytes(16 + 20 * i, infoHash);
            if (!registry.scrape(infoHash, 0, nowMs, stats))
            {
                stats.complete = 0; // not whitelisted: zeros, so the reply's entries stay in request order
                stats.incomplete = 0;
                stats.downloaded = 0;
            }
            out.writeInt(stats.complete()).writeInt((int)Math.min(Integer.MAX_VALUE, stats.downloaded()))
                .writeInt(stats.incomplete());
        }
        ctx.write(new DatagramPacket(out, sender));
    }

    private static void error(final ChannelHandlerContext ctx, final InetSocketAddress sender, final int transaction,
        final String message)
    {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ctx.write(new DatagramPacket(ctx.alloc().buffer(8 + text.length).writeInt(ERROR)
            .writeInt(transaction).writeBytes(text), sender));
    }

    private boolean validConnectionId(final long id, final long hi, final long lo, final long minute)
    {
        // BEP 15: a client may use an id for a minute after it got it; accept it for two
        return id == connectionId(hi, lo, minute) || id == connectionId(hi, lo, minute - 1) ||
            id == connectionId(hi, lo, minute - 2);
    }

    /**
     * HMAC-SHA256 of the sender's address and the minute under a secret of this process, truncated to 64 bits. Not
     * of its port: as with opentracker, a client may announce from a new socket with the id it got on another.
     */
    private long connectionId(final long hi, final long lo, final long minute)
    {
        macInput.putLong(0, hi).putLong(8, lo).putLong(16, minute);
        mac.update(macInput.array(), 0, 24);
        try
        {
            mac.doFinal(macOutput, 0);
        }
        catch (final javax.crypto.ShortBufferException ex)
        {
            throw new IllegalStateException("32 bytes hold an HMAC-SHA256", ex);
        }
        return java.nio.ByteBuffer.wrap(macOutput).getLong(0);
    }

    /** Replies go out once per read batch: Netty's epoll transport sends a batch with one sendmmsg. */
    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        dropped++; // a datagram socket error (e.g. ICMP unreachable): the channel goes on serving others
    }
}
