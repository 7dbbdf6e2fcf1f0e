package io.spate.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.spate.bencode.BencodeWriter;

import java.net.InetSocketAddress;

/**
 * The thin HTTP adapter of one connection: routes {@code GET /announce} and {@code GET /scrape} to the shared
 * {@link TrackerService} and writes its bencoded reply. Malformed request lines and targets get 400, other paths 404,
 * other methods 405, HTTP versions other than 1.x 505. Replies are written in order as requests arrive and flushed
 * once per read, so pipelined requests work; the connection stays open unless the client asks to close it. Runs on
 * the server's single event loop, the only thread that touches the service.
 */
final class TrackerHttpHandler extends ChannelInboundHandlerAdapter
{
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");

    private final TrackerService service;
    private long sourceHi;
    private long sourceLo;

    TrackerHttpHandler(final TrackerService service)
    {
        this.service = service;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        final InetSocketAddress remote = (InetSocketAddress)ctx.channel().remoteAddress();
        final byte[] address = remote.getAddress().getAddress();
        sourceHi = PeerAddress.hi(address);
        sourceLo = PeerAddress.lo(address);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof HttpRequest request)
            {
                handle(ctx, request);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private void handle(final ChannelHandlerContext ctx, final HttpRequest request)
    {
        if (request.decoderResult().isFailure())
        {
            reply(ctx, HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, text("bad request"), false);
            return;
        }
        final HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1)
        {
            reply(ctx, HttpVersion.HTTP_1_1, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, text("HTTP/1.x only"),
                false);
            return;
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        final String target = request.uri();
        final int pathStart = pathStart(target);
        if (pathStart < 0)
        {
            reply(ctx, version, HttpResponseStatus.BAD_REQUEST, text("bad request target"), false);
            return;
        }
        int query = target.indexOf('?', pathStart);
        final int pathEnd = query < 0 ? target.length() : query;
        query = query < 0 ? target.length() : query + 1;
        final boolean announce = target.regionMatches(pathStart, "/announce", 0, 9) && pathEnd - pathStart == 9;
        final boolean scrape = !announce && target.regionMatches(pathStart, "/scrape", 0, 7) &&
            pathEnd - pathStart == 7;
        if (!announce && !scrape)
        {
            reply(ctx, version, HttpResponseStatus.NOT_FOUND, text("not found"), keepAlive);
            return;
        }
        if (!HttpMethod.GET.equals(request.method()))
        {
            reply(ctx, version, HttpResponseStatus.METHOD_NOT_ALLOWED, text("only GET"), keepAlive);
            return;
        }
        final BencodeWriter body = announce ?
            service.announce(target, query, sourceHi, sourceLo) : service.scrape(target, query);
        final ByteBuf content = ctx.alloc().ioBuffer(body.length());
        content.writeBytes(body.array(), 0, body.length());
        reply(ctx, version, HttpResponseStatus.OK, content, keepAlive);
    }

    /** @return where the path starts: 0 for origin-form, after the authority for absolute-form; -1 if malformed. */
    static int pathStart(final String target)
    {
        int start = 0;
        if (!target.startsWith("/"))
        {
            final int scheme = target.startsWith("http://") ? 7 : (target.startsWith("https://") ? 8 : -1);
            if (scheme < 0)
            {
                return -1;
            }
            start = target.indexOf('/', scheme);
            if (start < 0)
            {
                return -1;
            }
        }
        for (int i = start; i < target.length(); i++)
        {
            final char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F)
            {
                return -1;
            }
        }
        return start;
    }

    private static ByteBuf text(final String message)
    {
        return Unpooled.copiedBuffer(message, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void reply(
        final ChannelHandlerContext ctx,
        final HttpVersion version,
        final HttpResponseStatus status,
        final ByteBuf content,
        final boolean keepAlive)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(version, status, content);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (!keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            if (version == HttpVersion.HTTP_1_0)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.write(response);
        }
    }
}
