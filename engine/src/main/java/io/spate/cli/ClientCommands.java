package io.spate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.magnet.MagnetLink;
import io.spate.service.ServiceJson;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static io.spate.cli.CliOptions.flag;
import static io.spate.cli.CliOptions.valued;

/** The daemon's client commands, each a request and a way to print its reply. */
final class ClientCommands
{
    private static final String TORRENTS = "/api/torrents";

    private ClientCommands()
    {
    }

    static List<CliCommand> all()
    {
        return List.of(add(), ls(), rm(), simple("pause", "Pause a torrent of the daemon (kept paused across " +
            "restarts)."), simple("resume", "Resume a paused torrent of the daemon."), stats(), limit());
    }

    private static CliCommand add()
    {
        return new ClientCommand("add", "Add a torrent (a .torrent file, uploaded, or a magnet link) to the daemon.",
            List.of("TORRENT|MAGNET"),
            new Options()
                .addOption(valued("dir", "DIR", "Data directory on the daemon's machine (default: STATE/data)."))
                .addOption(flag("paused", "Add it paused.")),
            (args, client) ->
            {
                final String source = args.positional(0);
                final Path dir = args.path("dir");
                final String dirText = dir == null ? null : dir.toAbsolutePath().normalize().toString();
                if (MagnetLink.isMagnet(source))
                {
                    final ObjectNode body = ServiceJson.MAPPER.createObjectNode().put("magnet", source)
                        .put("paused", args.flag("paused"));
                    if (dirText != null)
                    {
                        body.put("dir", dirText);
                    }
                    return client.post(TORRENTS, "application/json", ServiceJson.bytes(body));
                }
                final byte[] torrent = Files.readAllBytes(args.positionalPath(0, "TORRENT|MAGNET"));
                String query = "?paused=" + args.flag("paused");
                if (dirText != null)
                {
                    query += "&dir=" + URLEncoder.encode(dirText, StandardCharsets.UTF_8);
                }
                return client.post(TORRENTS + query, "application/x-bittorrent", torrent);
            },
            (reply, out) -> out.println("added " + reply.path("info_hash").asText() + " " +
                reply.path("name").asText() + " (" + reply.path("state").asText() + ")"));
    }

    private static CliCommand ls()
    {
        return new ClientCommand("ls", "List the daemon's torrents.", List.of(), new Options(),
            (args, client) -> client.get(TORRENTS),
            (reply, out) ->
            {
                out.printf(Locale.ROOT, "%-40s  %-11s  %6s  %10s  %12s  %12s  %5s  %s%n", "INFO-HASH", "STATE",
                    "DONE", "SIZE", "DOWN", "UP", "PEERS", "NAME");
                for (final JsonNode t : reply)
                {
                    out.printf(Locale.ROOT, "%-40s  %-11s  %5.1f%%  %10s  %12s  %12s  %5d  %s%n",
                        t.path("info_hash").asText(), t.path("state").asText(), t.path("progress").asDouble() * 100,
                        Units.bytes(t.path("size").asLong()), Units.bytes(t.path("download_rate").asLong()) + "/s",
                        Units.bytes(t.path("upload_rate").asLong()) + "/s", t.path("peers").asLong(),
                        t.path("name").asText() + (t.has("error") ? " (error: " + t.path("error").asText() + ")" :
                        ""));
                }
            });
    }

    private static CliCommand rm()
    {
        return new ClientCommand("rm", "Remove a torrent from the daemon (its data is kept unless --delete-data).",
            List.of("INFO-HASH"), new Options().addOption(flag("delete-data", "Delete its downloaded files too.")),
            (args, client) -> client.delete(TORRENTS + "/" + ClientCommand.infoHash(args, 0) + "?delete_data=" +
                args.flag("delete-data")),
            (reply, out) -> out.println("removed " + reply.path("removed").asText() +
                (reply.path("data_deleted").asBoolean() ? " and its data" : "")));
    }

    private static CliCommand simple(final String action, final String summary)
    {
        return new ClientCommand(action, summary, List.of("INFO-HASH"), new Options(),
            (args, client) -> client.post(TORRENTS + "/" + ClientCommand.infoHash(args, 0) + "/" + action,
                "application/json", new byte[0]),
            (reply, out) -> out.println(reply.path("info_hash").asText() + " " + reply.path("name").asText() + ": " +
                reply.path("state").asText()));
    }

    private static CliCommand stats()
    {
        return new ClientCommand("stats", "Print the daemon's global figures.", List.of(), new Options(),
            (args, client) -> client.get("/api/stats"),
            (reply, out) ->
            {
                out.println("torrents   " + reply.path("torrents").asLong() + " " + reply.path("states"));
                out.println("peers      " + reply.path("peers").asLong());
                out.println("down       " + Units.bytes(reply.path("downloaded").asLong()) + " at " +
                    Units.bytes(reply.path("download_rate").asLong()) + "/s");
                out.println("up         " + Units.bytes(reply.path("uploaded").asLong()) + " at " +
                    Units.bytes(reply.path("upload_rate").asLong()) + "/s");
                out.println("hash fails " + reply.path("hash_failures").asLong() + ", banned " +
                    reply.path("peers_banned").asLong() + ", re-hashed pieces " +
                    reply.path("rehashed_pieces").asLong());
                out.println("port       " + reply.path("listen_port").asLong() + ", up " +
                    Units.duration(reply.path("uptime_seconds").asLong()));
            });
    }

    private static CliCommand limit()
    {
        return new ClientCommand("limit", "Show or set the daemon's rate limits (global, or one torrent's with " +
            "--torrent).", List.of(),
            new Options()
                .addOption(valued("up", "RATE", "Upload limit in bytes/s (K, M, G suffixes; 0 for none)."))
                .addOption(valued("down", "RATE", "Download limit in bytes/s (K, M, G suffixes; 0 for none)."))
                .addOption(valued("torrent", "INFO-HASH", "Set this torrent's limits instead of the global ones.")),
            (args, client) ->
            {
                final Long up = args.size("up");
                final Long down = args.size("down");
                final String torrent = args.string("torrent");
                final boolean global = torrent == null;
                final ObjectNode body = ServiceJson.MAPPER.createObjectNode();
                if (up != null)
                {
                    body.put(global ? "max_upload_rate" : "upload_limit", up);
                }
                if (down != null)
                {
                    body.put(global ? "max_download_rate" : "download_limit", down);
                }
                if (global)
                {
                    return up == null && down == null ? client.get("/api/settings") :
                        client.put("/api/settings", body);
                }
                if (torrent.length() != 40 || !torrent.chars().allMatch(c -> Character.digit(c, 16) >= 0))
                {
                    throw new UsageException("--torrent must be 40 hex digits, got '" + torrent + "'");
                }
                return client.put(TORRENTS + "/" + torrent.toLowerCase(Locale.ROOT) + "/limits", body);
            },
            (reply, out) ->
            {
                final boolean global = reply.has("max_upload_rate");
                final long up = reply.path(global ? "max_upload_rate" : "upload_limit").asLong();
                final long down = reply.path(global ? "max_download_rate" : "download_limit").asLong();
                out.println((global ? "global" : reply.path("info_hash").asText()) + ": upload " + rate(up) +
                    ", download " + rate(down));
            });
    }

    private static String rate(final long bytesPerSecond)
    {
        return bytesPerSecond == 0 ? "unlimited" : Units.bytes(bytesPerSecond) + "/s";
    }
}
