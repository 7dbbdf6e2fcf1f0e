package io.spate.cli;

import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

/** Run in a child JVM by {@link PlatformSelectorTest}: names the provider as Main does, then opens sockets. */
public final class PlatformSelectorProbe
{
    private PlatformSelectorProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        PlatformSelector.name();
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT); // fails if channel and selector came from two providers
            System.out.println(System.getProperty(PlatformSelector.PROPERTY) + " " +
                selector.provider().getClass().getName() + " " + server.provider().getClass().getName());
        }
    }
}
