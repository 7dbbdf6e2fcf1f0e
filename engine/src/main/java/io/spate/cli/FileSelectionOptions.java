package io.spate.cli;

import io.spate.metainfo.FilePriorities;
import org.apache.commons.cli.Options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.spate.cli.CliOptions.valued;

/**
 * {@code --select-files LIST} and {@code --file-priority INDEX=PRIORITY}: which files of a torrent to download. A
 * list is aria2's {@code --select-file} syntax ({@code 0,2-3}), with indexes from 0 as {@code spate info} lists the
 * files (padding files counted); listed files get priority 4, the others 0 (skipped). {@code --file-priority} (0..7,
 * libtorrent's scale, 0 = skip) sets one file's, after the list. The syntax is checked at once, the indexes against
 * the torrent once it is known; each problem is a usage error naming the option and the value.
 */
final class FileSelectionOptions
{
    static final String SELECT = "select-files";
    static final String PRIORITY = "file-priority";

    /** Selected index ranges, {from, to} inclusive; null when --select-files is not given. */
    private final List<int[]> selected;
    private final Map<Integer, Integer> priorities;
    private final String priorityOption;

    private FileSelectionOptions(final List<int[]> selected, final Map<Integer, Integer> priorities,
        final String priorityOption)
    {
        this.selected = selected;
        this.priorities = priorities;
        this.priorityOption = priorityOption;
    }

    static Options define(final Options options)
    {
        return define(options, PRIORITY);
    }

    /** @param priorityOption the name of the INDEX=P option ({@code file-priority}; {@code files} calls it set). */
    static Options define(final Options options, final String priorityOption)
    {
        return options
            .addOption(valued(SELECT, "LIST", "Download only these files: indexes from 0 as 'spate info' lists " +
                "them, ranges allowed (0,2-3); the others are skipped (not created)."))
            .addOption(valued(priorityOption, "INDEX=P", "Give file INDEX priority P: 0 skips it, 1..7 download it, " +
                "higher first (default 4). Repeatable; applied after --select-files."));
    }

    /** @throws UsageException naming the option and the value that is not an index, a range or INDEX=PRIORITY. */
    static FileSelectionOptions from(final Args args)
    {
        return from(args, PRIORITY);
    }

    static FileSelectionOptions from(final Args args, final String priorityOption)
    {
        final String list = args.string(SELECT);
        final Map<Integer, Integer> priorities = new LinkedHashMap<>();
        for (final String setting : args.strings(priorityOption))
        {
            final int equals = setting.indexOf('=');
            final int index = equals > 0 ? number(setting.substring(0, equals)) : -1;
            final int priority = equals > 0 ? number(setting.substring(equals + 1)) : -1;
            if (index < 0 || priority < 0 || priority > FilePriorities.MAX)
            {
                throw new UsageException("--" + priorityOption + ": expected INDEX=PRIORITY with PRIORITY 0..7, got '" +
                    setting + "'");
            }
            priorities.put(index, priority);
        }
        return new FileSelectionOptions(list == null ? null : ranges(list), priorities, priorityOption);
    }

    boolean given()
    {
        return selected != null || !priorities.isEmpty();
    }

    /** Only --file-priority settings (no list): the daemon can apply them without knowing the file count. */
    boolean onlyPriorities()
    {
        return selected == null;
    }

    Map<Integer, Integer> priorities()
    {
        return priorities;
    }

    /**
     * @return the priorities for a torrent of {@code fileCount} files, or null when neither option was given.
     * @throws UsageException naming an index past the last file.
     */
    FilePriorities resolve(final int fileCount)
    {
        if (!given())
        {
            return null;
        }
        final List<Integer> values = new ArrayList<>();
        for (int i = 0; i < fileCount; i++)
        {
            values.add(selected == null ? FilePriorities.DEFAULT : FilePriorities.SKIP);
        }
        if (selected != null)
        {
            for (final int[] range : selected)
            {
                checkIndex(range[1], fileCount, SELECT);
                for (int i = range[0]; i <= range[1]; i++)
                {
                    values.set(i, FilePriorities.DEFAULT);
                }
            }
        }
        priorities.forEach((index, priority) ->
        {
            checkIndex(index, fileCount, priorityOption);
            values.set(index, priority);
        });
        return FilePriorities.of(values, fileCount, "--" + SELECT);
    }

    private static void checkIndex(final int index, final int fileCount, final String option)
    {
        if (index >= fileCount)
        {
            throw new UsageException("--" + option + ": file index " + index + " is out of range: the torrent has " +
                fileCount + (fileCount == 1 ? " file (index 0" : " files (indexes 0.." + (fileCount - 1)) +
                ", as 'spate info' lists them)");
        }
    }

    private static List<int[]> ranges(final String list)
    {
        final List<int[]> ranges = new ArrayList<>();
        for (final String item : list.split(",", -1))
        {
            final String token = item.trim();
            final int dash = token.indexOf('-');
            final int from = number(dash < 0 ? token : token.substring(0, dash));
            final int to = dash < 0 ? from : number(token.substring(dash + 1));
            if (from < 0 || to < 0)
            {
                throw new UsageException("--" + SELECT + ": '" + token + "' is not a file index or a range of them " +
                    "(like 0,2-3) in '" + list + "'");
            }
            if (to < from)
            {
                throw new UsageException("--" + SELECT + ": range '" + token + "' ends before it starts");
            }
            ranges.add(new int[] {from, to});
        }
        return ranges;
    }

    /** @return the decimal number, or -1 when it is not one (empty, a sign, letters, too long). */
    private static int number(final String text)
    {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        return Integer.parseInt(text);
    }
}
