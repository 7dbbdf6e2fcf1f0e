package io.spate.bench;

import io.spate.tracker.AnnounceEvent;
import io.spate.tracker.server.AnnounceResult;
import io.spate.tracker.server.PeerAddress;
import io.spate.tracker.server.SwarmRegistry;
import io.spate.tracker.server.TrackerConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap held by a {@link SwarmRegistry} of 1,000,000 peers across 10,000 swarms (one in ten peers IPv6, one in four
 * a seed). Prints one JSON line: heap used after GC before and after filling, and bytes per peer.
 * <pre>
 * java -Xmx512m -cp bench/target/bench.jar io.spate.bench.TrackerMemory [PEERS] [SWARMS]
 * </pre>
 */
public final class TrackerMemory
{
    private TrackerMemory()
    {
    }

    public static void main(final String[] args)
    {
        final int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int swarms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final long before = usedAfterGc();

        final SwarmRegistry registry = new SwarmRegistry(TrackerConfig.defaults().limits(swarms, peers, peers), 1);
        final AnnounceResult result = new AnnounceResult();
        final byte[] infoHash = new byte[20];
        final byte[] peerId = "-SP0001-000000000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final long start = System.nanoTime();
        for (int i = 0; i < peers; i++)
        {
            final int swarm = i % swarms;
            infoHash[0] = (byte)swarm;
            infoHash[1] = (byte)(swarm >>> 8);
            infoHash[2] = (byte)(swarm >>> 16);
            peerId[16] = (byte)i;
            peerId[17] = (byte)(i >>> 8);
            peerId[18] = (byte)(i >>> 16);
            final long hi;
            final long lo;
            if (i % 10 == 0)
            {
                hi = 0x2001_0db8_0000_0000L;
                lo = i;
            }
            else
            {
                hi = PeerAddress.V4_MAPPED_HI;
                lo = PeerAddress.V4_MAPPED_LO_PREFIX | (0x0A00_0000L + (i >>> 4));
            }
            final int port = 1024 + (i & 0xF);
            registry.announce(infoHash, 0, peerId, 0, hi, lo, port, i % 4 == 0 ? 0 : 1000, AnnounceEvent.STARTED,
                50, 0, result);
            if (result.status() != AnnounceResult.Status.OK)
            {
                throw new IllegalStateException("announce " + i + " refused: " + result.status());
            }
        }
        final double fillSeconds = (System.nanoTime() - start) / 1e9;
        if (registry.peerCount() != peers || registry.swarmCount() != swarms)
        {
            throw new IllegalStateException("registry holds " + registry.peerCount() + " peers in " +
                registry.swarmCount() + " swarms");
        }
        final long after = usedAfterGc();
        final long registryBytes = after - before;
        System.out.printf(
            "{\"peers\":%d,\"swarms\":%d,\"max_heap_mib\":%d,\"heap_used_before_mib\":%.1f," +
            "\"heap_used_after_mib\":%.1f,\"registry_mib\":%.1f,\"bytes_per_peer\":%.1f,\"fill_seconds\":%.2f," +
            "\"announces_per_s_fill\":%.0f}%n",
            peers, swarms, Runtime.getRuntime().maxMemory() >> 20, before / 1048576.0, after / 1048576.0,
            registryBytes / 1048576.0, (double)registryBytes / peers, fillSeconds, peers / fillSeconds);
        if (registry.peerCount() < 0)
        {
            System.out.println(registry); // keep the registry reachable until measured
        }
    }

    private static long usedAfterGc()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++)
        {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
