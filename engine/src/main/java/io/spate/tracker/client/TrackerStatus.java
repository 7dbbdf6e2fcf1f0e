package io.spate.tracker.client;

import java.util.Locale;

/**
 * Where one tracker of a torrent stands, as the API shows it (qBittorrent's tracker list): immutable, replaced whole
 * at each change by {@link TrackerStatuses}.
 *
 * @param state          what it is doing now.
 * @param lastAnnounceMs epoch ms when the last announce to it ended (answered or failed), or 0 when never.
 * @param seeders        {@code complete} of its last reply, -1 when it gave none or never answered.
 * @param leechers       {@code incomplete} of its last reply, -1 likewise.
 * @param peers          peers its last reply listed, -1 when it never answered.
 * @param lastError      why its last announce failed (connection refused, a {@code failure reason} ...), or null
 *                       when it last answered.
 */
public record TrackerStatus(State state, long lastAnnounceMs, int seeders, int leechers, int peers,
    String lastError)
{
    /** What a tracker is doing. */
    public enum State
    {
        NOT_CONTACTED, UPDATING, WORKING, ERROR;

        /** @return the API's name: lower case, words apart ("not contacted"). */
        public String label()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    static final TrackerStatus NOT_CONTACTED = new TrackerStatus(State.NOT_CONTACTED, 0, -1, -1, -1, null);

    TrackerStatus updating()
    {
        return new TrackerStatus(State.UPDATING, lastAnnounceMs, seeders, leechers, peers, lastError);
    }
}
