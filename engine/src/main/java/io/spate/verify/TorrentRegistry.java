package io.spate.verify;

import io.spate.storage.TorrentStorage;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the pipeline's handlers need to look up by index: each torrent's storage and each agent's completion queue.
 * Written on the control path when a torrent or agent is added; read (volatile) by handlers per event.
 */
public final class TorrentRegistry
{
    private final AtomicReferenceArray<TorrentStorage> storages;
    private final AtomicReferenceArray<CompletionQueue> completions;
    private final AtomicReferenceArray<String> writeErrors;

    public TorrentRegistry(final int maxTorrents, final int maxAgents)
    {
        this.storages = new AtomicReferenceArray<>(maxTorrents);
        this.writeErrors = new AtomicReferenceArray<>(maxTorrents);
        this.completions = new AtomicReferenceArray<>(maxAgents);
    }

    /** @return the id given to the torrent's storage. */
    public synchronized int addTorrent(final TorrentStorage storage)
    {
        for (int i = 0; i < storages.length(); i++)
        {
            if (storages.get(i) == null)
            {
                storages.set(i, storage);
                writeErrors.set(i, null);
                return i;
            }
        }
        throw new IllegalStateException("too many torrents (limit " + storages.length() + ")");
    }

    /** Frees the torrent's id; call once the pipeline holds no event of it ({@link VerifyPipeline#awaitProcessed}). */
    public synchronized void removeTorrent(final int torrentId)
    {
        storages.set(torrentId, null);
        writeErrors.set(torrentId, null);
    }

    public void setAgent(final int agentId, final CompletionQueue queue)
    {
        completions.set(agentId, queue);
    }

    TorrentStorage storage(final int torrentId)
    {
        return storages.get(torrentId);
    }

    CompletionQueue completions(final int agentId)
    {
        return completions.get(agentId);
    }

    void reportWriteError(final int torrentId, final String error)
    {
        writeErrors.compareAndSet(torrentId, null, error);
    }

    /** @return the first write error of the torrent, or null. */
    public String writeError(final int torrentId)
    {
        return writeErrors.get(torrentId);
    }
}
