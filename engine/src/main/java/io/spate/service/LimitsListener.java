package io.spate.service;

/**
 * Told of the rate limits to enforce, so the engine's token buckets follow the API: the global limits when they
 * change (and once at start), a torrent's own limits when they change and each time the torrent starts running.
 * Called on the control path (an API worker, the start thread); implementations hand the values to the agents
 * without blocking. The daemon only stores and reports the limits until one is set ({@link Daemon#limitsListener}).
 */
public interface LimitsListener
{
    /** @param settings the global limits, bytes/s, 0 for none. */
    void globalLimits(Settings settings);

    /** @param torrent a running torrent ({@link ManagedTorrent#handle()} non-null); its limits are in its entry. */
    void torrentLimits(ManagedTorrent torrent);

    LimitsListener NONE = new LimitsListener()
    {
        @Override
        public void globalLimits(final Settings settings)
        {
        }

        @Override
        public void torrentLimits(final ManagedTorrent torrent)
        {
        }
    };
}
