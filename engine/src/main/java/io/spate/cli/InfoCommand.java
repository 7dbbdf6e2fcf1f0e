package io.spate.cli;

import io.spate.magnet.MagnetLink;
import io.spate.metainfo.FileEntry;
import io.spate.metainfo.Metainfo;
import org.apache.commons.cli.Options;

import java.io.PrintWriter;
import java.util.List;

/** {@code info TORRENT [--json]}: validates a .torrent and prints what it describes. */
final class InfoCommand implements CliCommand
{
    @Override
    public String name()
    {
        return "info";
    }

    @Override
    public String summary()
    {
        return "Validate a .torrent and show its name, info-hash, sizes, files, trackers and web seeds.";
    }

    @Override
    public List<String> positionals()
    {
        return List.of("TORRENT");
    }

    @Override
    public Options options()
    {
        return new Options().addOption(CliOptions.flag("json", "Print one JSON object on one line instead of text."));
    }

    @Override
    public int run(final Args args, final PrintWriter out, final PrintWriter err) throws Exception
    {
        final Metainfo m = Metainfo.load(args.positionalPath(0, "TORRENT"));
        out.println(args.flag("json") ? json(m) : text(m));
        out.flush();
        return Main.EXIT_OK;
    }

    static String text(final Metainfo m)
    {
        final StringBuilder sb = new StringBuilder(512);
        line(sb, "name", m.name());
        line(sb, "info-hash", m.infoHashHex());
        line(sb, "magnet", MagnetLink.of(m).toUri());
        line(sb, "total size", m.totalLength() + " bytes (" + Units.bytes(m.totalLength()) + ")");
        line(sb, "piece length", m.pieceLength() + " bytes (" + Units.bytes(m.pieceLength()) + ")");
        line(sb, "pieces", Integer.toString(m.pieceCount()));
        line(sb, "private", m.isPrivate() ? "yes" : "no");
        final List<List<String>> tiers = m.trackerTiers();
        if (tiers.isEmpty())
        {
            line(sb, "trackers", "none");
        }
        for (int i = 0; i < tiers.size(); i++)
        {
            line(sb, i == 0 ? "trackers" : "", "tier " + (i + 1) + ": " + String.join(" ", tiers.get(i)));
        }
        for (int i = 0; i < m.urlList().size(); i++)
        {
            line(sb, i == 0 ? "web seeds" : "", m.urlList().get(i));
        }
        if (m.comment() != null)
        {
            line(sb, "comment", m.comment());
        }
        if (m.createdBy() != null)
        {
            line(sb, "created by", m.createdBy());
        }
        line(sb, "files", m.files().size() + " (INDEX, as --select-files and 'spate files' take it; bytes; path)");
        for (int i = 0; i < m.files().size(); i++)
        {
            final FileEntry f = m.files().get(i);
            sb.append(String.format("  %5d  %15d  %s%s%n", i, f.length(), f.displayPath(),
                f.padding() ? " (padding)" : ""));
        }
        return sb.toString().stripTrailing();
    }

    static String json(final Metainfo m)
    {
        final Json j = new Json().beginObject()
            .field("name", m.name())
            .field("info_hash", m.infoHashHex())
            .field("magnet", MagnetLink.of(m).toUri())
            .field("total_size", m.totalLength())
            .field("piece_length", m.pieceLength())
            .field("pieces", m.pieceCount())
            .field("private", m.isPrivate())
            .field("single_file", m.isSingleFile())
            .field("comment", m.comment())
            .field("created_by", m.createdBy());
        j.key("trackers").beginArray();
        for (final List<String> tier : m.trackerTiers())
        {
            j.beginArray();
            tier.forEach(j::value);
            j.endArray();
        }
        j.endArray();
        j.key("web_seeds").beginArray();
        m.urlList().forEach(j::value);
        j.endArray();
        j.key("files").beginArray();
        for (final FileEntry f : m.files())
        {
            j.beginObject().field("path", f.displayPath()).field("length", f.length());
            if (f.padding())
            {
                j.field("padding", true);
            }
            j.endObject();
        }
        j.endArray();
        return j.endObject().toString();
    }

    private static void line(final StringBuilder sb, final String label, final String value)
    {
        sb.append(String.format("%-13s %s%n", label.isEmpty() ? "" : label + ":", value));
    }
}
