package io.spate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.service.ServiceJson;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The {@code files} client command and {@code add}'s file selection: the daemon's file priorities, shown and set. */
final class ClientFiles
{
    private ClientFiles()
    {
    }

    /** GET the torrent's detail, or POST its new priorities (some by index, or every file's for a list). */
    static JsonNode files(final Args args, final ApiClient client, final String infoHash) throws Exception
    {
        final String path = "/api/torrents/" + infoHash + "/files";
        final FileSelectionOptions selection = FileSelectionOptions.from(args, "set");
        if (!selection.given())
        {
            return client.get(path);
        }
        final ObjectNode priorities = ServiceJson.MAPPER.createObjectNode();
        if (selection.onlyPriorities())
        {
            selection.priorities().forEach((index, priority) -> priorities.put(index.toString(), priority));
        }
        else
        {
            // a list skips every file it leaves out: the file count comes from the daemon
            final JsonNode files = client.get(path).path("files");
            int count = 0;
            for (final JsonNode file : files)
            {
                count = Math.max(count, file.path("index").asInt() + 1);
            }
            final FilePriorities resolved = selection.resolve(count);
            for (final JsonNode file : files) // padding files are not listed, and keep theirs
            {
                final int index = file.path("index").asInt();
                priorities.put(Integer.toString(index), resolved.get(index));
            }
        }
        final ObjectNode body = ServiceJson.MAPPER.createObjectNode();
        body.set("priorities", priorities);
        return client.post(path, "application/json", ServiceJson.bytes(body));
    }

    /** {@code &file_priorities=...} for {@code add} of a .torrent, or nothing when no file selection was given. */
    static String addQuery(final FileSelectionOptions selection, final byte[] torrent)
    {
        if (!selection.given())
        {
            return "";
        }
        final FilePriorities priorities = selection.resolve(Metainfo.parse(torrent).files().size());
        return "&file_priorities=" + priorities.toList().stream().map(String::valueOf)
            .collect(Collectors.joining(","));
    }

    static void print(final JsonNode detail, final PrintWriter out)
    {
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%5s  %4s  %12s  %6s  %s", "INDEX", "PRIO", "SIZE", "DONE", "PATH"));
        for (final JsonNode file : detail.path("files"))
        {
            final long size = file.path("size").asLong();
            final JsonNode verified = file.get("verified");
            final String done = verified == null ? "-" : String.format(Locale.ROOT, "%5.1f%%",
                size == 0 ? 100.0 : 100.0 * verified.asLong() / size);
            final int priority = file.path("priority").asInt();
            lines.add(String.format(Locale.ROOT, "%5d  %4s  %12s  %6s  %s", file.path("index").asInt(),
                priority == 0 ? "skip" : Integer.toString(priority), Units.bytes(size), done,
                file.path("path").asText()));
        }
        lines.forEach(out::println);
    }
}
