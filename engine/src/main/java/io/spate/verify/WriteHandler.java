package io.spate.verify;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.spate.storage.TorrentStorage;

/**
 * First stage: copies each received block into the torrent's memory-mapped files; when a block completes its piece
 * (or a write fails), publishes the piece to the hash ring. A failed write (a full disk surfaces as an
 * {@link InternalError} from the mapped page fault) is reported, never thrown, so the ring keeps moving.
 */
final class WriteHandler implements EventHandler<BlockEvent>
{
    private final TorrentRegistry torrents;
    private final RingBuffer<PieceEvent> pieces;

    WriteHandler(final TorrentRegistry torrents, final RingBuffer<PieceEvent> pieces)
    {
        this.torrents = torrents;
        this.pieces = pieces;
    }

    @Override
    public void onEvent(final BlockEvent event, final long sequence, final boolean endOfBatch)
    {
        String error = null;
        final TorrentStorage storage = torrents.storage(event.torrentId);
        if (storage == null)
        {
            return; // the torrent was removed while its blocks were in flight
        }
        try
        {
            storage.write(event.piece, event.begin, event.data, 0, event.length);
        }
        catch (final InternalError | RuntimeException ex)
        {
            error = storage.root() + ": writing piece " + event.piece + " at " + event.begin +
                " failed (disk full?): " + ex.getMessage();
        }
        if (event.completesPiece || error != null)
        {
            final long next = pieces.next();
            pieces.get(next).set(event.torrentId, event.piece, event.agentId, error);
            pieces.publish(next);
        }
    }
}
