package io.spate.verify;

import com.lmax.disruptor.EventHandler;
import io.spate.metainfo.InfoHash;
import io.spate.storage.TorrentStorage;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;

/**
 * Second stage, one of N on the hash ring (each takes the pieces whose sequence is {@code shard mod N}): hashes a
 * whole piece from the mapped files and hands the verdict back to the owning agent's completion queue. Every block
 * of the piece was written before the write handler published it here.
 */
final class HashHandler implements EventHandler<PieceEvent>
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
    public void onEvent(final PieceEvent event, final long sequence, final boolean endOfBatch)
    {
        if (sequence % shards != shard)
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
        final TorrentStorage storage = torrents.storage(event.torrentId);
        if (storage == null)
        {
            return;
        }
        final boolean ok = verify(storage, event.piece);
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
