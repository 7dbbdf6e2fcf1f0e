package io.spate.dht;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The announce_peer store: per info-hash, info-hash and total bounds; expiry; the per-source rate limit. */
class PeerStoreTest
{
    private final Random random = new Random(3);

    private static InetSocketAddress peer(final int i)
    {
        return new InetSocketAddress("10.0." + (i >> 8 & 255) + "." + (i & 255), 6881);
    }

    @Test
    void boundsAndExpiry()
    {
        final PeerStore store = new PeerStore(5, 3, 12);
        final NodeId a = NodeId.random(random);
        for (int i = 0; i < 100; i++)
        {
            assertTrue(store.put(a, peer(i), i));
        }
        assertEquals(5, store.size(), "per info-hash: the oldest go");
        assertEquals(List.of(peer(95), peer(96), peer(97), peer(98), peer(99)), store.get(a, 10, 100, random));
        assertEquals(3, store.get(a, 3, 100, random).size());

        final NodeId b = NodeId.random(random);
        final NodeId c = NodeId.random(random);
        for (int i = 0; i < 5; i++)
        {
            store.put(b, peer(i), 0);
        }
        assertTrue(store.put(c, peer(1), 0));
        assertTrue(store.put(c, peer(2), 0));
        assertFalse(store.put(c, peer(3), 0), "12 in all");
        assertFalse(store.put(NodeId.random(random), peer(1), 0), "3 info-hashes at most");

        store.expire(PeerStore.TTL_NS + 50);
        assertEquals(5, store.size(), "b and c (stored at 0) expired, a's (stored at 95-99) not yet");
        store.expire(PeerStore.TTL_NS + 100);
        assertEquals(0, store.size());
        assertEquals(0, store.infoHashes());
    }

    @Test
    void rateLimitPerSource() throws Exception
    {
        final SourceRateLimiter limiter = new SourceRateLimiter(10, 20, 2);
        final java.net.InetAddress flood = java.net.InetAddress.getByName("10.9.9.9");
        final java.net.InetAddress honest = java.net.InetAddress.getByName("10.1.1.1");
        int served = 0;
        for (int i = 0; i < 1000; i++)
        {
            served += limiter.tryAcquire(flood, 0) ? 1 : 0;
        }
        assertEquals(20, served, "the burst, then nothing at the same instant");
        assertTrue(limiter.tryAcquire(honest, 0), "another source is not affected");
        assertTrue(limiter.tryAcquire(flood, 100_000_000L), "a tenth of a second later: one more token");
        assertFalse(limiter.tryAcquire(flood, 100_000_000L));
        for (int i = 0; i < 100; i++)
        {
            limiter.tryAcquire(java.net.InetAddress.getByAddress(new byte[] {10, 2, 0, (byte)i}), 0);
        }
        assertEquals(2, limiter.sources(), "sources tracked are bounded");
    }
}
