package io.spate.service.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One API connection: checks who may ask (the token, and on loopback that the request comes from a page of this API
 * and not another site a browser has open), then hands the request to the dashboard's assets or the
 * {@link ApiRoutes}, and writes the reply. Requests are served on the API's worker threads, so a route may wait on
 * the engine.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final ApiRoutes routes;
    private final StaticAssets assets;
    private final byte[] token;
    private final InetSocketAddress bindAddress;
    private final Executor workers;
    private final ApiGate gate;
    /** The connection's request being served, or done; touched only on the event loop. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    ApiHandler(final ApiRoutes routes, final StaticAssets assets, final String token,
        final InetSocketAddress bindAddress, final Executor workers, final ApiGate gate)
    {
        this.workers = workers;
        this.gate = gate;
        this.routes = routes;
        this.assets = assets;
        this.token = token == null ? null : token.getBytes(StandardCharsets.US_ASCII);
        this.bindAddress = bindAddress;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        // off the event loop (a route may wait on the engine), one request of a connection after the other so
        // pipelined replies keep their order; the reply's write is handed back to the loop by Netty
        if (!gate.enter())
        {
            // the API is stopping: answered here, on the event loop, which stops only after the requests in flight
            write(ctx, Reply.error(503, "the daemon is stopping"), false);
            return;
        }
        request.retain();
        previous = previous.thenRunAsync(() ->
        {
            try
            {
                serve(ctx, request);
            }
            finally
            {
                request.release();
                gate.exit();
            }
        }, workers);
    }

    private void serve(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        Reply reply;
        if (request.decoderResult().isFailure())
        {
            reply = Reply.error(400, "malformed HTTP request: " + request.decoderResult().cause().getMessage());
        }
        else
        {
            final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            final String path = uri.path();
            reply = assets.find(request.method().name(), path);
            if (reply == null)
            {
                final String refusal = refusal(request, (InetSocketAddress)ctx.channel().localAddress());
                reply = refusal != null ? Reply.error(refusal.startsWith("token") ? 401 : 403, refusal) :
                    routes.handle(request, uri);
            }
        }
        write(ctx, reply, keepAlive && reply.status() != 413);
    }

    /** @return why the request may not go on, or null when it may. */
    private String refusal(final FullHttpRequest request, final InetSocketAddress local)
    {
        if (token != null)
        {
            final String bearer = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            String given = request.headers().get("X-Spate-Token");
            if (given == null && bearer != null && bearer.regionMatches(true, 0, "Bearer ", 0, 7))
            {
                given = bearer.substring(7).trim();
            }
            if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.US_ASCII)))
            {
                return "token: missing or wrong (send 'Authorization: Bearer TOKEN' or 'X-Spate-Token: TOKEN'; " +
                    "the token is in the daemon's state dir, file api-token)";
            }
            return null;
        }
        // without a token, anything on this machine may ask, but not a web page from elsewhere: a foreign Origin
        // (cross-site request forgery) or a Host that is not loopback (DNS rebinding) is refused
        final String host = hostName(request.headers().get(HttpHeaderNames.HOST));
        if (host != null && !LOOPBACK_NAMES.contains(host) && !host.equals(bindAddress.getHostString()))
        {
            return "Host " + host + " is not this loopback API";
        }
        final String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null)
        {
            try
            {
                final URI o = URI.create(origin);
                final String originHost = o.getHost() == null ? "" : o.getHost().toLowerCase(Locale.ROOT);
                if (!LOOPBACK_NAMES.contains(originHost) || o.getPort() != local.getPort())
                {
                    return "Origin " + origin + " may not use this API";
                }
            }
            catch (final IllegalArgumentException ex)
            {
                return "Origin " + origin + " is malformed";
            }
        }
        return null;
    }

    private static String hostName(final String hostHeader)
    {
        if (hostHeader == null)
        {
            return null;
        }
        final String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("["))
        {
            final int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        final int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static void write(final ChannelHandlerContext ctx, final Reply reply, final boolean keepAlive)
    {
        if (ctx.executor().isShuttingDown())
        {
            return; // a request that outlived the API's bounded wait at close: nobody to answer
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set("X-Content-Type-Options", "nosniff");
        if (reply.allow() != null)
        {
            response.headers().set(HttpHeaderNames.ALLOW, reply.allow());
        }
        if (keepAlive)
        {
            ctx.writeAndFlush(response);
        }
        else
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
