package io.spate.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Locale;

/** The client commands' text output: the torrent table, the global figures, the limits. */
final class ClientOutput
{
    private ClientOutput()
    {
    }

    static void list(final JsonNode torrents, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "%-40s  %-11s  %6s  %10s  %12s  %12s  %5s  %s%n", "INFO-HASH", "STATE",
            "DONE", "SIZE", "DOWN", "UP", "PEERS", "NAME");
        for (final JsonNode t : torrents)
        {
            out.printf(Locale.ROOT, "%-40s  %-11s  %5.1f%%  %10s  %12s  %12s  %5d  %s%n",
                t.path("info_hash").asText(), t.path("state").asText(), t.path("progress").asDouble() * 100,
                Units.bytes(t.path("size").asLong()), Units.bytes(t.path("download_rate").asLong()) + "/s",
                Units.bytes(t.path("upload_rate").asLong()) + "/s", t.path("peers").asLong(),
                t.path("name").asText() + (t.has("error") ? " (error: " + t.path("error").asText() + ")" : ""));
        }
    }

    static void stats(final JsonNode stats, final PrintWriter out)
    {
        out.println("torrents   " + stats.path("torrents").asLong() + " " + stats.path("states"));
        out.println("peers      " + stats.path("peers").asLong());
        out.println("down       " + Units.bytes(stats.path("downloaded").asLong()) + " at " +
            Units.bytes(stats.path("download_rate").asLong()) + "/s");
        out.println("up         " + Units.bytes(stats.path("uploaded").asLong()) + " at " +
            Units.bytes(stats.path("upload_rate").asLong()) + "/s");
        out.println("hash fails " + stats.path("hash_failures").asLong() + ", banned " +
            stats.path("peers_banned").asLong() + ", re-hashed pieces " + stats.path("rehashed_pieces").asLong());
        out.println("port       " + stats.path("listen_port").asLong() + ", up " +
            Units.duration(stats.path("uptime_seconds").asLong()));
    }

    /** Global settings ({@code max_*_rate}) or a torrent's summary ({@code *_limit}). */
    static void limits(final JsonNode reply, final PrintWriter out)
    {
        final boolean global = reply.has("max_upload_rate");
        final long up = reply.path(global ? "max_upload_rate" : "upload_limit").asLong();
        final long down = reply.path(global ? "max_download_rate" : "download_limit").asLong();
        out.println((global ? "global" : reply.path("info_hash").asText()) + ": upload " + rate(up) + ", download " +
            rate(down));
    }

    private static String rate(final long bytesPerSecond)
    {
        return bytesPerSecond == 0 ? "unlimited" : Units.bytes(bytesPerSecond) + "/s";
    }
}
