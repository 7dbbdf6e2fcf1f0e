package io.spate.service.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Netty's aggregator with the API's own 413: a JSON error naming the limit instead of an empty reply, and no
 * {@code 100 Continue} for a body that would be refused anyway.
 */
final class JsonAggregator extends HttpObjectAggregator
{
    /** How long a refused body may keep arriving after the 413 before the connection is closed anyway. */
    private static final int LINGER_SECONDS = 10;

    JsonAggregator(final int maxContentLength)
    {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        final byte[] body = ("{\"status\":413,\"error\":\"body: larger than the limit of " + maxContentLength() +
            " bytes\"}").getBytes(StandardCharsets.UTF_8);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .set(HttpHeaderNames.CONNECTION, "close");
        // A lingering close, as web servers do: closing with the client's body still unread would send a reset that
        // destroys the reply before the client reads it (seen in CI: "header parser received no bytes"). So only
        // our half closes once the reply is out; the aggregator discards the rest of the body, and the connection
        // ends when the client closes its half, or after LINGER_SECONDS at the latest.
        ctx.writeAndFlush(response).addListener((ChannelFutureListener)sent ->
        {
            if (!sent.isSuccess() || !(sent.channel() instanceof SocketChannel socket))
            {
                sent.channel().close();
                return;
            }
            socket.shutdownOutput();
            ctx.executor().schedule(() -> socket.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        });
    }
}
