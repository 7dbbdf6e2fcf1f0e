package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change of a torrent's file priorities as the API takes it (field {@code priorities}): every file's, as a list
 * ({@code [4,0,7]}), or some files', as an object of index to priority ({@code {"1":0}}); indexes from 0 as the
 * torrent's detail and {@code spate info} list the files. Each problem is a 400 naming the field.
 */
public final class FileSelectionUpdate
{
    private static final String FIELD = "priorities";

    /** Every file's priority, or null when only some change. */
    private final List<Integer> all;
    private final Map<Integer, Integer> some;

    private FileSelectionUpdate(final List<Integer> all, final Map<Integer, Integer> some)
    {
        this.all = all;
        this.some = some;
    }

    public static FileSelectionUpdate all(final List<Integer> priorities)
    {
        return new FileSelectionUpdate(List.copyOf(priorities), Map.of());
    }

    /** @throws ServiceException 400 naming the field when it is missing or not a list or object of integers. */
    public static FileSelectionUpdate parse(final JsonNode priorities)
    {
        if (priorities == null || priorities.isNull())
        {
            throw ServiceException.badRequest(FIELD + ": missing (a list of every file's priority, or an object " +
                "of index to priority)");
        }
        if (priorities.isArray())
        {
            final List<Integer> all = new ArrayList<>();
            for (int i = 0; i < priorities.size(); i++)
            {
                all.add(priority(priorities.get(i), FIELD + "[" + i + "]"));
            }
            return new FileSelectionUpdate(all, Map.of());
        }
        if (priorities.isObject())
        {
            final Map<Integer, Integer> some = new LinkedHashMap<>();
            final Iterator<Map.Entry<String, JsonNode>> fields = priorities.fields();
            while (fields.hasNext())
            {
                final Map.Entry<String, JsonNode> field = fields.next();
                final String key = field.getKey();
                if (key.isEmpty() || key.length() > 9 || !key.chars().allMatch(c -> c >= '0' && c <= '9'))
                {
                    throw ServiceException.badRequest(FIELD + ": '" + key + "' is not a file index");
                }
                some.put(Integer.parseInt(key), priority(field.getValue(), FIELD + "." + key));
            }
            return new FileSelectionUpdate(null, some);
        }
        throw ServiceException.badRequest(FIELD + ": must be a list of priorities or an object of index to " +
            "priority, got " + priorities);
    }

    private static int priority(final JsonNode value, final String name)
    {
        if (!value.isInt() || value.asInt() < FilePriorities.SKIP || value.asInt() > FilePriorities.MAX)
        {
            throw ServiceException.badRequest(name + ": a priority must be an integer 0..7, got " + value);
        }
        return value.asInt();
    }

    /**
     * @param current the torrent's priorities now (null: every file at the default).
     * @throws ServiceException 400 naming the field: a list of another length than the torrent's files, an index
     *                          past its last file.
     */
    FilePriorities applyTo(final FilePriorities current, final Metainfo metainfo)
    {
        final int files = metainfo.files().size();
        try
        {
            if (all != null)
            {
                return FilePriorities.of(all, files, FIELD);
            }
            FilePriorities next = current != null ? current : FilePriorities.all(files);
            for (final Map.Entry<Integer, Integer> change : some.entrySet())
            {
                if (change.getKey() >= files)
                {
                    throw ServiceException.badRequest(FIELD + "." + change.getKey() + ": no such file: the " +
                        "torrent has " + files + " (indexes 0.." + (files - 1) + ")");
                }
                next = next.with(change.getKey(), change.getValue());
            }
            return next;
        }
        catch (final IllegalArgumentException ex)
        {
            throw ServiceException.badRequest(ex.getMessage());
        }
    }
}
