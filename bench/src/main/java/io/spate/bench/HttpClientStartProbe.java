package io.spate.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Why the tracker client uses HttpURLConnection: the first HTTP request of a fresh JVM, through java.net.http's
 * HttpClient or through HttpURLConnection, against a local socket answering "de". Run once per client, each in a
 * new JVM (what a seed or leech start pays):
 * {@code java -cp bench/target/bench.jar io.spate.bench.HttpClientStartProbe client|urlconnection}.
 */
public final class HttpClientStartProbe
{
    public static void main(final String[] args) throws Exception
    {
        final boolean client = args.length > 0 && args[0].equals("client");
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress()))
        {
            final Thread answer = new Thread(() ->
            {
                try (Socket s = server.accept())
                {
                    s.getInputStream().read(new byte[4096]);
                    final OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nde"
                        .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                catch (final Exception ignored)
                {
                    // the probe reports what the client saw
                }
            });
            answer.setDaemon(true);
            answer.start();
            final URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/announce?x=1");
            final long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            final long t0 = System.nanoTime();
            final int bytes;
            if (client)
            {
                bytes = HttpClient.newBuilder().build()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            else
            {
                final HttpURLConnection c = (HttpURLConnection)uri.toURL().openConnection();
                try (InputStream in = c.getInputStream())
                {
                    bytes = in.readAllBytes().length;
                }
            }
            final long t1 = System.nanoTime();
            final long cpu1 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            System.out.printf("%s: first request %.0f ms wall, %.0f ms CPU on the calling thread (%d bytes)%n",
                client ? "java.net.http.HttpClient" : "HttpURLConnection", (t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6,
                bytes);
        }
    }
}
