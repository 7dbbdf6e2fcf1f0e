package io.spate.service;

import io.spate.Engine;

/**
 * The daemon's rate limits enforced by the engine's token buckets: the global limits are the engine's, a torrent's
 * are its own buckets (all change at once, from any thread). Uploads are held back per block, downloads by not
 * reading the socket (the sender then slows to what TCP's window lets through).
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
        engine.maxDownloadRate(settings.maxDownloadRate());
    }

    @Override
    public void torrentLimits(final ManagedTorrent torrent)
    {
        if (torrent.handle() != null)
        {
            torrent.handle().uploadLimit(torrent.entry().uploadLimit());
            torrent.handle().downloadLimit(torrent.entry().downloadLimit());
        }
    }
}
