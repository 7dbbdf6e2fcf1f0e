package io.spate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.magnet.MagnetLink;
import io.spate.service.ServiceJson;
import io.spate.service.StateDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** What each {@link ClientCommand} asks the daemon, and how it prints the reply (as it came with {@code --json}). */
final class ClientActions
{
    private static final String TORRENTS = "/api/torrents";

    private ClientActions()
    {
    }

    static void run(final String command, final Args args, final PrintWriter out) throws Exception
    {
        final InetSocketAddress api = HostPort.parse("api", args.string("api") == null ? DaemonCommand.DEFAULT_API :
            args.string("api"));
        final String host = api.getHostString().contains(":") ? "[" + api.getHostString() + "]" : api.getHostString();
        final ApiClient client = new ApiClient("http://" + host + ":" + api.getPort(), token(args));
        final JsonNode reply = switch (command)
        {
            case "add" -> add(args, client);
            case "ls" -> client.get(TORRENTS);
            case "rm" -> client.delete(TORRENTS + "/" + infoHash(args.positional(0), "INFO-HASH") +
                "?delete_data=" + args.flag("delete-data"));
            case "pause", "resume" -> client.post(TORRENTS + "/" + infoHash(args.positional(0), "INFO-HASH") + "/" +
                command, "application/json", new byte[0]);
            case "stats" -> client.get("/api/stats");
            case "limit" -> limit(args, client);
            case "set" -> set(args, client);
            case "files" -> ClientFiles.files(args, client, infoHash(args.positional(0), "INFO-HASH"));
            default -> throw new IllegalArgumentException("not a client command: " + command);
        };
        if (args.flag("json"))
        {
            out.println(reply.toString());
            return;
        }
        switch (command)
        {
            case "add" -> out.println("added " + reply.path("info_hash").asText() + " " + reply.path("name").asText() +
                " (" + reply.path("state").asText() + ")");
            case "ls" -> ClientOutput.list(reply, out);
            case "rm" -> out.println("removed " + reply.path("removed").asText() +
                (reply.path("data_deleted").asBoolean() ? " and its data" : ""));
            case "pause", "resume" -> out.println(reply.path("info_hash").asText() + " " +
                reply.path("name").asText() + ": " + reply.path("state").asText());
            case "set" -> out.println(reply.path("info_hash").asText() + " " + reply.path("name").asText() +
                ": sequential " + (reply.path("sequential").asBoolean() ? "on" : "off"));
            case "stats" -> ClientOutput.stats(reply, out);
            case "files" -> ClientFiles.print(reply, out);
            default -> ClientOutput.limits(reply, out);
        }
    }

    private static JsonNode add(final Args args, final ApiClient client) throws Exception
    {
        final String source = args.positional(0);
        final Path dir = args.path("dir");
        final String dirText = dir == null ? null : dir.toAbsolutePath().normalize().toString();
        final FileSelectionOptions selection = FileSelectionOptions.from(args);
        if (MagnetLink.isMagnet(source))
        {
            if (selection.given())
            {
                throw new UsageException("--select-files and --file-priority need the .torrent: a magnet link's " +
                    "files are known once its metadata arrives ('spate files' sets them then)");
            }
            final ObjectNode body = ServiceJson.MAPPER.createObjectNode().put("magnet", source)
                .put("paused", args.flag("paused")).put("sequential", args.flag("sequential"));
            if (dirText != null)
            {
                body.put("dir", dirText);
            }
            return client.post(TORRENTS, "application/json", ServiceJson.bytes(body));
        }
        // the bytes are uploaded, so a daemon on another machine gets the torrent too
        final byte[] torrent = Files.readAllBytes(args.positionalPath(0, "TORRENT|MAGNET"));
        String query = "?paused=" + args.flag("paused") + "&sequential=" + args.flag("sequential") +
            ClientFiles.addQuery(selection, torrent);
        if (dirText != null)
        {
            query += "&dir=" + URLEncoder.encode(dirText, StandardCharsets.UTF_8);
        }
        return client.post(TORRENTS + query, "application/x-bittorrent", torrent);
    }

    private static JsonNode limit(final Args args, final ApiClient client) throws Exception
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
            return up == null && down == null ? client.get("/api/settings") : client.put("/api/settings", body);
        }
        return client.put(TORRENTS + "/" + infoHash(torrent, "--torrent") + "/limits", body);
    }

    /** {@code set HASH --sequential on|off}: a torrent setting besides its limits and file priorities. */
    private static JsonNode set(final Args args, final ApiClient client) throws Exception
    {
        final String hash = infoHash(args.positional(0), "INFO-HASH");
        final String value = args.string("sequential");
        if (value == null)
        {
            throw new UsageException("set: give a setting to change: --sequential on|off");
        }
        final boolean on = switch (value.toLowerCase(Locale.ROOT))
        {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new UsageException("--sequential must be on or off, got '" + value + "'");
        };
        return client.put(TORRENTS + "/" + hash + "/sequential",
            ServiceJson.MAPPER.createObjectNode().put("sequential", on));
    }

    private static String token(final Args args) throws IOException
    {
        final String token = args.string("token");
        if (token != null)
        {
            return token;
        }
        final Path state = args.path("state");
        if (state == null)
        {
            return null;
        }
        try
        {
            return StateDir.readToken(state);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException(state.resolve(StateDir.TOKEN_FILE) + ": no such file (has the daemon run with " +
                "--state " + state + "?)", ex);
        }
    }

    /** @return the value as an info-hash (40 hex digits), or a usage error naming what was typed. */
    private static String infoHash(final String value, final String label)
    {
        final String hash = value.toLowerCase(Locale.ROOT);
        if (hash.length() != 40 || !hash.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            throw new UsageException(label + " must be 40 hex digits (as 'ls' prints), got '" + value + "'");
        }
        return hash;
    }
}
