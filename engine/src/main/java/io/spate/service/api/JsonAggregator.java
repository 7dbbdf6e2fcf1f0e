package io.spate.service.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * Netty's aggregator with the API's own 413: a JSON error naming the limit instead of an empty reply, and no
 * {@code 100 Continue} for a body that would be refused anyway.
 */
final class JsonAggregator extends HttpObjectAggregator
{
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
        // the rest of the body is not read: the connection closes once the reply is out
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
