package io.spate.agent;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agent owns which torrent, by info-hash: read by the agent that accepts a connection, to route it. Written
 * on the control path when torrents are added or removed.
 */
final class AgentDirectory
{
    /** A torrent's session and the agent that owns it. */
    record Entry(NetworkAgent agent, TorrentSession session)
    {
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    void put(final byte[] infoHash, final Entry entry)
    {
        entries.put(new Key(infoHash.clone()), entry);
    }

    void remove(final byte[] infoHash)
    {
        entries.remove(new Key(infoHash));
    }

    Entry find(final byte[] infoHash)
    {
        return entries.get(new Key(infoHash));
    }

    private record Key(byte[] hash)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Key k && Arrays.equals(hash, k.hash);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(hash);
        }
    }
}
