package io.spate.service;

import io.spate.Engine;

/**
 * The daemon's rate limits enforced by the engine's token buckets: the global upload limit is the engine's, a
 * torrent's is its own bucket (both change at once, from any thread). Download limits are stored and reported only:
 * the agents do not yet limit reads.
 */
final class EngineLimits implements LimitsListener
{
    private final Engine engine;

    EngineLimits(final Engine engine)
    {
        this.engine = engine;
    }

    @Override
    public void globalLimits(final Settings settings)
    {
        engine.maxUploadRate(settings.maxUploadRate());
    }

    @Override
    public void torrentLimits(final ManagedTorrent torrent)
    {
        if (torrent.handle() != null)
        {
            torrent.handle().uploadLimit(torrent.entry().uploadLimit());
        }
    }
}
