package io.spate.tracker.server;

import java.util.Arrays;

/**
 * The peers of one swarm in parallel primitive arrays, one slot per peer, keyed by endpoint (address and port): a
 * peer can only ever update the entry of its own endpoint. Slots {@code [0, leechers)} hold leechers and
 * {@code [leechers, count)} seeds, so a seed's peer list is drawn from the leecher range alone. An open-addressing
 * index (linear probing, backward-shift deletion) maps an endpoint to its slot. About 56 bytes a peer.
 * Single-threaded: owned by its {@link SwarmRegistry}.
 */
final class Swarm
{
    static final int PEER_ID_LENGTH = 20;
    private static final int INITIAL_CAPACITY = 4;

    int count;
    int leechers;
    long downloaded;
    long earliestExpiryMs = Long.MAX_VALUE;

    long[] addrHi;
    long[] addrLo;
    char[] ports;
    long[] lastSeenMs;
    byte[] peerIds;
    private int[] index;

    Swarm()
    {
        allocate(INITIAL_CAPACITY);
        index = new int[INITIAL_CAPACITY * 2];
    }

    int seeds()
    {
        return count - leechers;
    }

    boolean isSeed(final int slot)
    {
        return slot >= leechers;
    }

    /** @return the slot of the endpoint, or -1. */
    int find(final long hi, final long lo, final int port)
    {
        final int mask = index.length - 1;
        int i = hash(hi, lo, port) & mask;
        int entry;
        while ((entry = index[i]) != 0)
        {
            final int slot = entry - 1;
            if (addrLo[slot] == lo && addrHi[slot] == hi && ports[slot] == port)
            {
                return slot;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Adds a new peer (the caller checked it is absent) and returns its slot. */
    int add(final long hi, final long lo, final int port, final boolean seed)
    {
        if (count == ports.length)
        {
            grow();
        }
        final int slot;
        if (!seed && count > leechers)
        {
            moveSlot(leechers, count); // first seed goes to the end, its slot becomes the new last leecher
            slot = leechers;
        }
        else
        {
            slot = count;
        }
        if (!seed)
        {
            leechers++;
        }
        count++;
        addrHi[slot] = hi;
        addrLo[slot] = lo;
        ports[slot] = (char)port;
        indexInsert(slot);
        return slot;
    }

    /** Removes the peer in {@code slot}, keeping both ranges dense. */
    void remove(final int slot)
    {
        indexRemove(slot);
        final int last = count - 1;
        if (slot < leechers)
        {
            final int lastLeecher = leechers - 1;
            if (slot != lastLeecher)
            {
                moveSlot(lastLeecher, slot);
            }
            if (lastLeecher != last)
            {
                moveSlot(last, lastLeecher);
            }
            leechers--;
        }
        else if (slot != last)
        {
            moveSlot(last, slot);
        }
        count--;
    }

    /** Moves a leecher into the seed range; returns its new slot. */
    int becomeSeed(final int slot)
    {
        final int lastLeecher = leechers - 1;
        swapSlots(slot, lastLeecher);
        leechers--;
        return lastLeecher;
    }

    /** Moves a seed back into the leecher range; returns its new slot. */
    int becomeLeecher(final int slot)
    {
        final int firstSeed = leechers;
        swapSlots(slot, firstSeed);
        leechers++;
        return firstSeed;
    }

    void setPeerId(final int slot, final byte[] src, final int offset)
    {
        System.arraycopy(src, offset, peerIds, slot * PEER_ID_LENGTH, PEER_ID_LENGTH);
    }

    /** Removes every peer silent for {@code timeoutMs} or longer; recomputes the earliest expiry. */
    int expire(final long nowMs, final long timeoutMs)
    {
        int removed = 0;
        long earliest = Long.MAX_VALUE;
        for (int slot = count - 1; slot >= 0; slot--)
        {
            final long expiry = lastSeenMs[slot] + timeoutMs;
            if (expiry <= nowMs)
            {
                remove(slot);
                removed++;
                // peers moved into lower slots by remove() came from higher slots, already checked and counted
            }
            else
            {
                earliest = Math.min(earliest, expiry);
            }
        }
        earliestExpiryMs = earliest;
        return removed;
    }

    private void moveSlot(final int from, final int to)
    {
        final int position = indexPositionOf(from);
        addrHi[to] = addrHi[from];
        addrLo[to] = addrLo[from];
        ports[to] = ports[from];
        lastSeenMs[to] = lastSeenMs[from];
        System.arraycopy(peerIds, from * PEER_ID_LENGTH, peerIds, to * PEER_ID_LENGTH, PEER_ID_LENGTH);
        index[position] = to + 1;
    }

    private void swapSlots(final int a, final int b)
    {
        if (a == b)
        {
            return;
        }
        final int positionA = indexPositionOf(a);
        final int positionB = indexPositionOf(b);
        long t = addrHi[a];
        addrHi[a] = addrHi[b];
        addrHi[b] = t;
        t = addrLo[a];
        addrLo[a] = addrLo[b];
        addrLo[b] = t;
        t = lastSeenMs[a];
        lastSeenMs[a] = lastSeenMs[b];
        lastSeenMs[b] = t;
        final char p = ports[a];
        ports[a] = ports[b];
        ports[b] = p;
        final int offsetA = a * PEER_ID_LENGTH;
        final int offsetB = b * PEER_ID_LENGTH;
        for (int i = 0; i < PEER_ID_LENGTH; i++)
        {
            final byte x = peerIds[offsetA + i];
            peerIds[offsetA + i] = peerIds[offsetB + i];
            peerIds[offsetB + i] = x;
        }
        index[positionA] = b + 1;
        index[positionB] = a + 1;
    }

    private int indexPositionOf(final int slot)
    {
        final int mask = index.length - 1;
        int i = hash(addrHi[slot], addrLo[slot], ports[slot]) & mask;
        while (index[i] != slot + 1)
        {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void indexInsert(final int slot)
    {
        final int mask = index.length - 1;
        int i = hash(addrHi[slot], addrLo[slot], ports[slot]) & mask;
        while (index[i] != 0)
        {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
    }

    private void indexRemove(final int slot)
    {
        final int mask = index.length - 1;
        int hole = indexPositionOf(slot);
        index[hole] = 0;
        int i = (hole + 1) & mask;
        int entry;
        while ((entry = index[i]) != 0)
        {
            final int s = entry - 1;
            final int home = hash(addrHi[s], addrLo[s], ports[s]) & mask;
            // shift back if the entry's home is not cyclically in (hole, i]
            final boolean homeInRange = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeInRange)
            {
                index[hole] = entry;
                index[i] = 0;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow()
    {
        final int capacity = ports.length * 2;
        addrHi = Arrays.copyOf(addrHi, capacity);
        addrLo = Arrays.copyOf(addrLo, capacity);
        ports = Arrays.copyOf(ports, capacity);
        lastSeenMs = Arrays.copyOf(lastSeenMs, capacity);
        peerIds = Arrays.copyOf(peerIds, capacity * PEER_ID_LENGTH);
        index = new int[capacity * 2];
        for (int slot = 0; slot < count; slot++)
        {
            indexInsert(slot);
        }
    }

    private void allocate(final int capacity)
    {
        addrHi = new long[capacity];
        addrLo = new long[capacity];
        ports = new char[capacity];
        lastSeenMs = new long[capacity];
        peerIds = new byte[capacity * PEER_ID_LENGTH];
    }

    static int hash(final long hi, final long lo, final int port)
    {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h = (h ^ port) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        return (int)(h ^ (h >>> 32));
    }
}
