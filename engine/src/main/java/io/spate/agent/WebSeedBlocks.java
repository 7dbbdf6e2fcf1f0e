package io.spate.agent;

import io.spate.metrics.RateEstimator;
import io.spate.picker.PiecePicker;
import io.spate.verify.BlockEvent;
import io.spate.webseed.BlockSink;

/**
 * A torrent's web seed blocks into the verify ring, on its agent's thread, exactly as {@link Downloads} hands on a
 * peer's: marked received in the picker (a block received already is dropped and counted as waste), requests for it
 * at peers cancelled when it was duplicated in endgame, copied into a ring slot and published. No allocation.
 */
final class WebSeedBlocks implements BlockSink
{
    private final SessionHost host;
    private final int torrentId;
    private final PiecePicker picker;
    private final TorrentStats stats;
    private final Downloads downloads;
    /** Payload taken from web seeds per second (5 s window), counted into the torrent's download rate. */
    private final RateEstimator rate = new RateEstimator();

    WebSeedBlocks(final SessionHost host, final int torrentId, final PiecePicker picker, final TorrentStats stats,
        final Downloads downloads)
    {
        this.host = host;
        this.torrentId = torrentId;
        this.picker = picker;
        this.stats = stats;
        this.downloads = downloads;
    }

    PiecePicker picker()
    {
        return picker;
    }

    long downloadRate(final long nowNs)
    {
        return rate.rate(nowNs);
    }

    @Override
    public boolean hasRoom(final int blocks)
    {
        return host.hasBlockRoom(blocks);
    }

    @Override
    public boolean block(final int piece, final int block, final byte[] data, final int offset, final int length)
    {
        final boolean duplicated = picker.requesters(piece, block) > 1;
        if (!picker.blockReceived(piece, block))
        {
            stats.wastedBytes.setRelease(stats.wastedBytes.getPlain() + length);
            return false;
        }
        if (duplicated)
        {
            downloads.cancelElsewhere(null, piece, block);
        }
        final long sequence = host.claimBlockSlot();
        final BlockEvent event = host.blockEvent(sequence);
        final boolean whole = picker.pieceWhole(piece);
        if (whole)
        {
            downloads.pieceWhole(piece, host.nowNs());
        }
        event.set(torrentId, piece, block * PiecePicker.BLOCK_LENGTH, length, host.agentId(), whole);
        event.data().putBytes(0, data, offset, length);
        host.publishBlock(sequence);
        stats.downloadedBytes.setRelease(stats.downloadedBytes.getPlain() + length);
        stats.webSeedBytes.setRelease(stats.webSeedBytes.getPlain() + length);
        rate.record(length, host.nowNs());
        return true;
    }
}
