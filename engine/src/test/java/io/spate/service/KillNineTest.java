package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of a leeching daemon process at random moments: each time the state it left loads (the torrent is
 * listed and starts again), and at the end the data is byte-identical to the seed's.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KillNineTest
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @Test
    void aLeechingDaemonKilledAtRandomMomentsRestartsFromItsStateAndCompletes() throws Exception
    {
        final Random random = new Random();
        try (TwoDaemons pair = new TwoDaemons(tmp, 128 << 20))
        {
            pair.startSeeding();
            final Path state = tmp.resolve("killed-state");
            for (int kill = 0; kill < 3; kill++)
            {
                final DaemonProcess leech = new DaemonProcess(state);
                try
                {
                    if (kill == 0)
                    {
                        final HttpResponse<String> added = send(leech, HttpRequest.newBuilder(uri(leech,
                            "/api/torrents?dir=" + pair.leechData)).header("Content-Type", "application/x-bittorrent")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(pair.torrent)));
                        assertEquals(201, added.statusCode(), added.body());
                    }
                    else
                    {
                        assertEquals(pair.infoHash, torrent(leech).path("info_hash").asText(), "the state loads");
                    }
                    // mid-download when it can be caught there: at a random fraction, else whatever it is doing
                    final double target = 0.1 + 0.7 * random.nextDouble();
                    TestDaemon.await(() -> progress(leech) >= target, 20);
                    System.out.println("kill -9 #" + (kill + 1) + " at " + progressOf(leech));
                }
                finally
                {
                    leech.process.destroyForcibly(); // SIGKILL: no shutdown hook, no last resume data
                    assertTrue(leech.process.waitFor(20, TimeUnit.SECONDS));
                }
            }
            try (DaemonProcess leech = new DaemonProcess(state))
            {
                assertTrue(TestDaemon.await(() -> "seeding".equals(stateOf(leech)), 120), stateOf(leech));
                assertEquals(TestData.manifest(pair.seedData), TestData.manifest(pair.leechData));
                assertEquals(0, leech.stop());
            }
        }
    }

    private static URI uri(final DaemonProcess daemon, final String path)
    {
        return URI.create("http://" + daemon.api + path);
    }

    private static HttpResponse<String> send(final DaemonProcess daemon, final HttpRequest.Builder request)
        throws Exception
    {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode torrent(final DaemonProcess daemon) throws Exception
    {
        final HttpResponse<String> list = send(daemon, HttpRequest.newBuilder(uri(daemon, "/api/torrents")));
        assertEquals(200, list.statusCode(), list.body());
        final JsonNode torrents = ServiceJson.MAPPER.readTree(list.body());
        assertEquals(1, torrents.size(), list.body());
        return torrents.get(0);
    }

    private static double progress(final DaemonProcess daemon)
    {
        try
        {
            return torrent(daemon).path("progress").asDouble();
        }
        catch (final Exception | AssertionError ex)
        {
            return 0;
        }
    }

    private static String progressOf(final DaemonProcess daemon)
    {
        try
        {
            final JsonNode t = torrent(daemon);
            return t.path("state").asText() + " " + t.path("progress").asText() + " (" + t.path("resume").asText() +
                ")";
        }
        catch (final Exception | AssertionError ex)
        {
            return ex.toString();
        }
    }

    private static String stateOf(final DaemonProcess daemon)
    {
        try
        {
            return torrent(daemon).path("state").asText();
        }
        catch (final Exception | AssertionError ex)
        {
            return ex.toString();
        }
    }
}
