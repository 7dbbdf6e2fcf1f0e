package io.spate.dht;

import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;

/**
 * Idles by blocking in {@link Selector#select(long)} for up to {@code maxWaitMs}, so an idle node costs nothing and
 * wakes on a datagram, on a command ({@link Selector#wakeup()}) or in time for its timers.
 */
final class SelectIdleStrategy implements IdleStrategy
{
    private final Selector selector;
    private final long maxWaitMs;

    SelectIdleStrategy(final Selector selector, final long maxWaitMs)
    {
        this.selector = selector;
        this.maxWaitMs = maxWaitMs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        try
        {
            if (selector.isOpen())
            {
                selector.select(maxWaitMs);
                selector.selectedKeys().clear();
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void reset()
    {
    }
}
