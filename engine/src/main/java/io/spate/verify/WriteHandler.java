package io.spate.verify;

import com.lmax.disruptor.EventHandler;
import io.spate.storage.TorrentStorage;

/**
 * First stage of the pipeline: copies each received block into the torrent's memory-mapped files. A failed write
 * (a full disk surfaces as an {@link InternalError} from the mapped page fault) is recorded on the event, never
 * thrown, so the ring keeps moving and the owning agent learns of it.
 */
final class WriteHandler implements EventHandler<BlockEvent>
{
    private final TorrentRegistry torrents;

    WriteHandler(final TorrentRegistry torrents)
    {
        this.torrents = torrents;
    }

    @Override
    public void onEvent(final BlockEvent event, final long sequence, final boolean endOfBatch)
    {
        final TorrentStorage storage = torrents.storage(event.torrentId);
        if (storage == null)
        {
            event.writeError = "torrent " + event.torrentId + " was removed";
            return;
        }
        try
        {
            storage.write(event.piece, event.begin, event.data, 0, event.length);
        }
        catch (final InternalError | RuntimeException ex)
        {
            event.writeError = storage.root() + ": writing piece " + event.piece + " at " + event.begin +
                " failed (disk full?): " + ex.getMessage();
        }
    }
}
