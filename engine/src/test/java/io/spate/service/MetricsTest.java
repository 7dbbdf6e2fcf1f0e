package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} after a real download between two daemons, parsed by the Prometheus project's own text parser
 * ({@code prometheus_client.parser}, Debian's python3-prometheus-client): every family Spate exports is there with the
 * figures of the transfer. Fails, not skips, when the parser is missing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsTest
{
    private static final String PYTHON = "/usr/bin/python3";
    /** Reads the exposition on stdin and prints each family as JSON: name, type, samples (name, labels, value). */
    private static final String PARSE = String.join("\n",
        "import json, sys",
        "from prometheus_client.parser import text_string_to_metric_families",
        "out = {}",
        "for f in text_string_to_metric_families(sys.stdin.read()):",
        "    out[f.name] = {'type': f.type, 'samples': [[s.name, s.labels, s.value] for s in f.samples]}",
        "print(json.dumps(out))");

    @TempDir
    Path tmp;

    @Test
    void metricsOfADownloadParseWithPrometheusOwnParser() throws Exception
    {
        try (TwoDaemons pair = new TwoDaemons(tmp, 2 << 20))
        {
            pair.startSeeding();
            assertEquals(201, pair.leech.postTorrent("/api/torrents?dir=" + pair.leechData, pair.torrent)
                .statusCode());
            final ManagedTorrent leeching = pair.leech.daemon.get(pair.infoHash);
            assertTrue(TestDaemon.await(() -> leeching.state() == ManagedTorrent.State.SEEDING, 60),
                leeching.state().name());

            final HttpResponse<String> response = pair.leech.get("/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("")
                .startsWith("text/plain; version=0.0.4"));
            final JsonNode families = parse(response.body());

            final JsonNode downloaded = families.path("spate_torrent_downloaded_bytes");
            assertEquals("counter", downloaded.path("type").asText(), families.toString());
            final JsonNode sample = downloaded.path("samples").get(0);
            assertEquals("spate_torrent_downloaded_bytes_total", sample.get(0).asText());
            assertEquals(pair.infoHash, sample.get(1).path("info_hash").asText());
            assertEquals("movie.bin", sample.get(1).path("name").asText());
            assertTrue(sample.get(2).asDouble() >= 2 << 20, sample.toString());

            for (final String gauge : List.of("spate_torrent_download_rate_bytes_per_second",
                "spate_torrent_upload_rate_bytes_per_second", "spate_torrent_peers", "spate_torrent_verified_bytes",
                "spate_torrent_rehashed_pieces", "spate_torrents"))
            {
                assertEquals("gauge", families.path(gauge).path("type").asText(), gauge);
            }
            for (final String counter : List.of("spate_torrent_uploaded_bytes", "spate_torrent_hash_failures",
                "spate_torrent_peers_banned", "spate_connection_closes"))
            {
                assertEquals("counter", families.path(counter).path("type").asText(), counter);
            }
            assertEquals(2 << 20, (long)value(families, "spate_torrent_verified_bytes"));
            final List<String> reasons = new ArrayList<>();
            families.path("spate_connection_closes").path("samples")
                .forEach(s -> reasons.add(s.get(1).path("reason").asText()));
            assertTrue(reasons.contains("peer_closed") && reasons.contains("protocol_violation"), reasons.toString());

            for (final String latency : List.of("spate_request_round_trip_seconds", "spate_piece_verify_seconds"))
            {
                final JsonNode summary = families.path(latency);
                assertEquals("summary", summary.path("type").asText(), latency);
                double count = -1;
                boolean median = false;
                for (final JsonNode s : summary.path("samples"))
                {
                    if (s.get(0).asText().equals(latency + "_count"))
                    {
                        count = s.get(2).asDouble();
                    }
                    median |= s.get(1).path("quantile").asText().equals("0.5") && s.get(2).asDouble() > 0;
                }
                assertTrue(count >= 128, latency + " count " + count); // 2 MiB in 16 KiB blocks and pieces
                assertTrue(median, latency + " has a positive median");
            }
            assertTrue(families.has("jvm_memory_used_bytes"), "JVM metrics");
            assertTrue(families.has("jvm_threads_current"), "JVM metrics");
        }
    }

    private static double value(final JsonNode families, final String name)
    {
        return families.path(name).path("samples").get(0).get(2).asDouble();
    }

    private JsonNode parse(final String exposition) throws Exception
    {
        final Path input = tmp.resolve("metrics.txt");
        Files.writeString(input, exposition, StandardCharsets.UTF_8);
        final Process python = new ProcessBuilder(PYTHON, "-c", PARSE).redirectInput(input.toFile())
            .redirectErrorStream(true).start();
        final String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(30, TimeUnit.SECONDS), "parser did not finish");
        assertEquals(0, python.exitValue(), "the Prometheus parser refused the exposition (install " +
            "python3-prometheus-client: tools/install-deps.sh):\n" + output);
        return io.spate.service.ServiceJson.MAPPER.readTree(output);
    }
}
