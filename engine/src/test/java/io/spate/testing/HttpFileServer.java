package io.spate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web server for web seed tests, on the JDK's {@code com.sun.net.httpserver} (Debian's {@code python3 -m
 * http.server} ignores Range): serves the files under a root on loopback, with single byte ranges ({@code Range:
 * bytes=A-B}, answered 206 with Content-Range, 416 when unsatisfiable) and keep-alive. Faults for the tests: a corrupt
 * byte range of one file, every request answered with one status, Range ignored, bodies cut short, bodies that never
 * come. Records each request as "PATH RANGE".
 */
public final class HttpFileServer implements AutoCloseable
{
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "test-http-file-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile String corruptFile;
    private volatile long corruptFrom;
    private volatile long corruptTo;
    private volatile int status;
    private volatile String retryAfter;
    private volatile boolean ignoreRange;
    private volatile boolean cutShort;
    private volatile boolean stall;

    public HttpFileServer(final Path root) throws IOException
    {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** @return http://127.0.0.1:PORT followed by {@code path} (which starts with '/'). */
    public String url(final String path)
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request's path (decoded) and Range header, in order. */
    public List<String> requests()
    {
        return requests;
    }

    /** Responses answered so far. */
    public int answered()
    {
        return answered.get();
    }

    /** Serves the bytes [from, to) of {@code file} (relative to the root, '/'-separated) with every bit flipped. */
    public HttpFileServer corrupt(final String file, final long from, final long to)
    {
        this.corruptFrom = from;
        this.corruptTo = to;
        this.corruptFile = file;
        return this;
    }

    /** Answers every request with {@code code} (0: serve normally), with Retry-After when {@code retryAfter}. */
    public HttpFileServer status(final int code, final String retryAfterValue)
    {
        this.retryAfter = retryAfterValue;
        this.status = code;
        return this;
    }

    public HttpFileServer ignoreRange(final boolean value)
    {
        this.ignoreRange = value;
        return this;
    }

    /** Sends half of each body, then closes the connection. */
    public HttpFileServer cutShort(final boolean value)
    {
        this.cutShort = value;
        return this;
    }

    /** Sends each response's headers, then nothing until closed. */
    public HttpFileServer stall(final boolean value)
    {
        this.stall = value;
        return this;
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            final String range = exchange.getRequestHeaders().getFirst("Range");
            requests.add(path + " " + range);
            answered.incrementAndGet();
            final Path file = root.resolve(path.substring(1)).normalize();
            if (status != 0)
            {
                if (retryAfter != null)
                {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            if (!file.startsWith(root) || !Files.isRegularFile(file))
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            final long size = Files.size(file);
            long from = 0;
            long to = size - 1;
            final Matcher m = range == null || ignoreRange ? null : RANGE.matcher(range);
            if (m != null)
            {
                if (!m.matches() || Long.parseLong(m.group(1)) > Long.parseLong(m.group(2)) ||
                    Long.parseLong(m.group(1)) >= size)
                {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                from = Long.parseLong(m.group(1));
                to = Math.min(size - 1, Long.parseLong(m.group(2)));
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
            final long length = to - from + 1;
            exchange.sendResponseHeaders(m != null ? 206 : 200, length == 0 ? -1 : length);
            if (stall)
            {
                closing.await(60, TimeUnit.SECONDS);
                return;
            }
            send(exchange.getResponseBody(), file, root.relativize(file).toString().replace('\\', '/'), from,
                cutShort ? length / 2 : length);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void send(final OutputStream out, final Path file, final String name, final long from, final long length)
        throws IOException
    {
        try (FileChannel channel = FileChannel.open(file))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long position = from;
            while (position < from + length)
            {
                buffer.clear().limit((int)Math.min(buffer.capacity(), from + length - position));
                final int n = channel.read(buffer, position);
                if (n <= 0)
                {
                    break;
                }
                final byte[] bytes = buffer.array();
                if (name.equals(corruptFile))
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (position + i >= corruptFrom && position + i < corruptTo)
                        {
                            bytes[i] = (byte)~bytes[i];
                        }
                    }
                }
                out.write(bytes, 0, n);
                position += n;
            }
        }
    }

    @Override
    public void close()
    {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
