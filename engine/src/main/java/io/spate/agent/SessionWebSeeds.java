package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.webseed.WebSeedClient;
import io.spate.webseed.WebSeedState;
import io.spate.webseed.WebSeeds;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's web seeds (BEP 19), or none until {@link #start}: the hooks the session calls whatever its torrent has,
 * on the agent's thread.
 */
final class SessionWebSeeds
{
    private WebSeeds webSeeds;
    private WebSeedBlocks blocks;

    /**
     * Starts fetching from the torrent's web seeds, or fetches again once a finished torrent wants more; the session
     * checked it has some and lacks pieces.
     */
    void start(final TorrentSession session, final SessionHost host, final WebSeedClient client,
        final WebSeedBlocks blocks, final TorrentListener listener)
    {
        if (webSeeds == null)
        {
            this.blocks = blocks;
            webSeeds = new WebSeeds(session.metainfo(), blocks.picker(), client, blocks, host::post, host::nowNs,
                listener::onWarning);
            webSeeds.onTick(host.nowNs());
        }
        else
        {
            webSeeds.resume(host.nowNs());
        }
    }

    /** @return bytes per second taken from the web seeds lately (0 without any). */
    long downloadRate(final long nowNs)
    {
        return blocks == null ? 0 : blocks.downloadRate(nowNs);
    }

    /** @return each web seed's state; those of a torrent that never started them are idle. */
    List<WebSeedState> states(final Metainfo metainfo, final long nowNs)
    {
        if (webSeeds != null)
        {
            return webSeeds.states(nowNs);
        }
        final List<WebSeedState> idle = new ArrayList<>();
        for (final String url : metainfo.urlList())
        {
            idle.add(WebSeedState.idle(url));
        }
        return idle;
    }

    void onTick(final long nowNs)
    {
        if (webSeeds != null)
        {
            webSeeds.onTick(nowNs);
        }
    }

    void pieceVerified(final int piece)
    {
        if (webSeeds != null)
        {
            webSeeds.pieceVerified(piece);
        }
    }

    /** Call before the peers may pick the piece again: the web fetches of it go stale. */
    void pieceFailed(final int piece)
    {
        if (webSeeds != null)
        {
            webSeeds.pieceFailed(piece);
        }
    }

    void stop()
    {
        if (webSeeds != null)
        {
            webSeeds.stop();
        }
    }
}
