package io.spate.tracker.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.x client for tests that need pipelining, keep-alive or malformed requests. */
final class RawHttp implements AutoCloseable
{
    /** One parsed response. */
    record Response(int status, Map<String, String> headers, byte[] body)
    {
        String text()
        {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(final InetSocketAddress address) throws IOException
    {
        socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
    }

    RawHttp send(final String raw) throws IOException
    {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    static String get(final String target, final String... headers)
    {
        final StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: t\r\n");
        for (final String h : headers)
        {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    Response read() throws IOException
    {
        final String statusLine = line();
        final String[] parts = statusLine.split(" ", 3);
        final int status = Integer.parseInt(parts[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        String header;
        while (!(header = line()).isEmpty())
        {
            final int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        final int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        final byte[] body = in.readNBytes(length);
        if (body.length != length)
        {
            throw new IOException("short body");
        }
        return new Response(status, headers, body);
    }

    /** @return whether the server closed the connection (end of stream within the socket timeout). */
    boolean closedByServer() throws IOException
    {
        try
        {
            return in.read() == -1;
        }
        catch (final java.net.SocketException e)
        {
            return true;
        }
    }

    private String line() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1)
        {
            if (b == '\n')
            {
                break;
            }
            if (b != '\r')
            {
                out.write(b);
            }
        }
        if (b == -1 && out.size() == 0)
        {
            throw new IOException("connection closed");
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
