package io.spate.verify;

import com.lmax.disruptor.EventHandler;
import io.spate.metainfo.InfoHash;
import io.spate.storage.TorrentStorage;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;

/**
 * Second stage: when a block completes its piece, one of N hash handlers (chosen by {@code piece % N}) hashes the
 * whole piece from the mapped files and hands the verdict back to the owning agent's completion queue. Runs after
 * the write handler for the same sequence, so every block of the piece is already in the mapping.
 */
final class HashHandler implements EventHandler<BlockEvent>
{
    private final int shard;
    private final int shards;
    private final TorrentRegistry torrents;
    private final MessageDigest sha1 = InfoHash.newSha1();
    private final byte[] digest = new byte[20];
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);

    HashHandler(final int shard, final int shards, final TorrentRegistry torrents)
    {
        this.shard = shard;
        this.shards = shards;
        this.torrents = torrents;
    }

    @Override
    public void onEvent(final BlockEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.piece % shards != shard)
        {
            return;
        }
        final CompletionQueue completions = torrents.completions(event.agentId);
        if (event.writeError != null)
        {
            torrents.reportWriteError(event.torrentId, event.writeError);
            completions.offer(event.torrentId, event.piece, PieceResult.WRITE_FAILED, scratch);
            return;
        }
        if (!event.completesPiece)
        {
            return;
        }
        final TorrentStorage storage = torrents.storage(event.torrentId);
        final boolean ok = storage != null && verify(storage, event.piece);
        completions.offer(event.torrentId, event.piece, ok ? PieceResult.VERIFIED : PieceResult.HASH_FAILED, scratch);
    }

    private boolean verify(final TorrentStorage storage, final int piece)
    {
        try
        {
            return storage.verifyPiece(piece, sha1, digest);
        }
        catch (final InternalError | RuntimeException ex)
        {
            return false;
        }
    }
}
