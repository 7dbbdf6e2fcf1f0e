package io.spate.service;

import io.spate.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API stops in order: a request in flight when it closes is answered before its threads stop, one arriving
 * meanwhile is answered 503, and nothing is logged as SEVERE (Netty, which logs through java.util.logging here, said
 * "Failed to submit a listener notification task" when a reply was written after its event loop had stopped); and a
 * daemon process sent SIGTERM while clients keep asking exits 0 without a SEVERE line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiShutdownTest
{
    @TempDir
    Path tmp;

    private final List<LogRecord> severe = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue())
            {
                severe.add(record);
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    @BeforeEach
    void captureLogs()
    {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapture()
    {
        Logger.getLogger("").removeHandler(capture);
    }

    private static CompletableFuture<String> request(final int port, final String method, final String path)
        throws IOException
    {
        return request(port, method, path, new byte[0]);
    }

    /**
     * Sends one request (a JSON body when there is one) on its own connection and returns the whole reply, status
     * line to the end of the body.
     */
    private static CompletableFuture<String> request(final int port, final String method, final String path,
        final byte[] json) throws IOException
    {
        final Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
            "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(json);
        return CompletableFuture.supplyAsync(() ->
        {
            try (socket; InputStream in = socket.getInputStream())
            {
                final ByteArrayOutputStream reply = new ByteArrayOutputStream();
                in.transferTo(reply);
                return reply.toString(StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                return "no reply: " + ex;
            }
        });
    }

    @Test
    void aRequestInFlightAtCloseIsAnsweredAndOneArrivingMeanwhileGets503() throws Exception
    {
        try (TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            final Path data = tmp.resolve("data");
            final byte[] torrent = TestDaemon.torrentOf(data.resolve("a.bin"), 100_000, 1, null);
            final String hash = Metainfo.parse(torrent).infoHashHex();
            d.daemon.add(new AddRequest(torrent, null, null, data.toString(), true));
            final int port = d.api.address().getPort();
            try (Socket early = new Socket(InetAddress.getLoopbackAddress(), port))
            {
                early.setSoTimeout(20_000);
                final String get = "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
                early.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
                assertTrue(readReply(early.getInputStream()).startsWith("HTTP/1.1 200"), "a kept-alive connection");
                final CompletableFuture<String> inFlight;
                final CompletableFuture<Void> closing;
                synchronized (d.daemon)
                {
                    // the resume waits for the daemon's lock, which this test holds past the old close's whole course
                    inFlight = request(port, "POST", "/api/torrents/" + hash + "/resume");
                    assertTrue(TestDaemon.await(ApiShutdownTest::aWorkerWaitsForTheDaemon, 20), "request in flight");
                    closing = CompletableFuture.runAsync(d.api::close);
                    assertTrue(TestDaemon.await(() -> !accepts(port), 20), "the API stops accepting first");
                    // then it refuses requests: one sent just before may still be served (settings need no lock)
                    final String settings = "GET /api/settings HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
                    String refused = "";
                    for (int i = 0; i < 100 && !refused.startsWith("HTTP/1.1 503"); i++)
                    {
                        early.getOutputStream().write(settings.getBytes(StandardCharsets.US_ASCII));
                        refused = readReply(early.getInputStream());
                        assertTrue(refused.startsWith("HTTP/1.1 503") || refused.startsWith("HTTP/1.1 200"), refused);
                    }
                    assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
                    assertTrue(refused.contains("the daemon is stopping"), refused);
                    Thread.sleep(2_500); // the old close had stopped every thread by now
                    assertFalse(closing.isDone(), "the close waits for the request in flight");
                }
                final String reply = inFlight.get(20, TimeUnit.SECONDS);
                assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
                assertTrue(reply.contains("\"info_hash\":\"" + hash + "\""), reply);
                closing.get(20, TimeUnit.SECONDS);
            }
        }
        assertTrue(severe.isEmpty(), () -> "SEVERE logged: " + severe.get(0).getMessage() + " " +
            severe.get(0).getThrown());
    }

    private static boolean aWorkerWaitsForTheDaemon()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("spate-api-worker") &&
            t.getState() == Thread.State.BLOCKED);
    }

    private static boolean accepts(final int port)
    {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            return true;
        }
        catch (final IOException refused)
        {
            return false;
        }
    }

    /** Reads one HTTP reply: its head, then as many body bytes as its Content-Length says. */
    private static String readReply(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                return head.toString(StandardCharsets.US_ASCII);
            }
            head.write(b);
        }
        final String text = head.toString(StandardCharsets.US_ASCII);
        final java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
            .matcher(text);
        final int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return text + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void aDaemonSentSigtermWhileClientsKeepAskingExitsCleanly() throws Exception
    {
        final Path err = tmp.resolve("daemon.err");
        final Path data = tmp.resolve("data");
        final byte[] torrent = TestDaemon.torrentOf(data.resolve("b.bin"), 1 << 20, 2, null);
        final String hash = Metainfo.parse(torrent).infoHashHex();
        try (DaemonProcess daemon = DaemonProcess.withStderr(err, tmp.resolve("state")))
        {
            final int port = Integer.parseInt(daemon.api.substring(daemon.api.lastIndexOf(':') + 1));
            final Path torrentFile = tmp.resolve("b.torrent");
            Files.write(torrentFile, torrent);
            final String added = request(port, "POST", "/api/torrents", ("{\"path\": \"" + torrentFile +
                "\", \"dir\": \"" + data + "\"}").getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            assertTrue(added.startsWith("HTTP/1.1 201"), added);
            final List<String> paths = List.of("/api/stats", "/api/torrents", "/api/torrents/" + hash);
            final List<CompletableFuture<Integer>> clients = new CopyOnWriteArrayList<>();
            final long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int c = 0; c < 3; c++)
            {
                final int client = c;
                clients.add(CompletableFuture.supplyAsync(() ->
                {
                    int answered = 0;
                    for (int n = 0; n < 2_000 && System.nanoTime() < stopAt; n++) // bounded in count and time
                    {
                        try
                        {
                            final String reply = request(port, n % 7 == 0 ? "POST" : "GET", n % 7 == 0 ?
                                "/api/torrents/" + hash + (client % 2 == 0 ? "/pause" : "/resume") :
                                paths.get(n % paths.size())).get(30, TimeUnit.SECONDS);
                            if (reply.startsWith("HTTP/1.1 "))
                            {
                                answered++;
                            }
                        }
                        catch (final Exception refusedOrReset)
                        {
                            break; // the daemon has stopped listening
                        }
                    }
                    return answered;
                }));
            }
            Thread.sleep(1_500);
            assertEquals(0, daemon.stop(), "exit status after SIGTERM");
            for (final CompletableFuture<Integer> client : clients)
            {
                assertTrue(client.get(60, TimeUnit.SECONDS) > 0, "each client was answered before the stop");
            }
        }
        final String stderr = Files.readString(err);
        assertFalse(stderr.contains("SEVERE") || stderr.contains("Exception"), stderr);
    }
}
