package io.spate.cli;

import java.net.InetSocketAddress;

/** {@code HOST:PORT} option values ({@code [::1]:9091} for IPv6), checked with an error naming the option. */
final class HostPort
{
    private HostPort()
    {
    }

    /** @return the address, unresolved (resolved when bound or dialled). */
    static InetSocketAddress parse(final String option, final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new UsageException("--" + option + " must be HOST:PORT, got '" + value + "'");
        }
        final String host = value.substring(0, colon).replace("[", "").replace("]", "");
        final int port;
        try
        {
            port = Integer.parseInt(value.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("--" + option + ": bad port in '" + value + "'");
        }
        if (port < 0 || port > 65535)
        {
            throw new UsageException("--" + option + ": port must be 0..65535 in '" + value + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
