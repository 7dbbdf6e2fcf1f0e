package io.spate.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Settings of a {@link DhtNode}, fluent, checked by {@link #conclude()} (as {@code io.spate.Context}). Defaults suit a
 * client on the public DHT; tests shrink the timeouts.
 */
public final class DhtConfig
{
    /** BEP 5's alpha: queries in flight per lookup. */
    public static final int DEFAULT_ALPHA = 3;

    private InetSocketAddress bind = new InetSocketAddress(6881);
    private final List<String> bootstrap = new ArrayList<>();
    private final List<Contact> savedNodes = new ArrayList<>();
    private NodeId nodeId;
    private int alpha = DEFAULT_ALPHA;
    private int maxBuckets = NodeId.BITS;
    private int maxOutstanding = 512;
    private int maxLookups = 32;
    private int maxQueriesPerLookup = 200;
    private double queriesPerSecondPerSource = 50;
    private int queryBurstPerSource = 100;
    private int maxRateLimitedSources = 8192;
    private int maxPeersPerInfoHash = 200;
    private int maxInfoHashes = 5000;
    private int maxStoredPeers = 50_000;
    private int maxValuesPerReply = 50;
    private long minTimeoutNs = TimeUnit.MILLISECONDS.toNanos(300);
    private long initialTimeoutNs = TimeUnit.SECONDS.toNanos(2);
    private long maxTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private long lookupTimeoutNs = TimeUnit.SECONDS.toNanos(30);
    private boolean concluded;

    /** The UDP address to bind (default 0.0.0.0:6881); port 0 picks a free one. */
    public DhtConfig bind(final InetSocketAddress address)
    {
        this.bind = address;
        return this;
    }

    /** Adds a bootstrap node as {@code HOST:PORT} (resolved at start; an unresolvable one is skipped). */
    public DhtConfig bootstrap(final String hostPort)
    {
        parseHostPort(hostPort);
        bootstrap.add(hostPort);
        return this;
    }

    /** Adds nodes saved from an earlier run ({@link DhtNode#nodes()}): pinged at start, kept if they answer. */
    public DhtConfig savedNodes(final List<Contact> nodes)
    {
        savedNodes.addAll(nodes);
        return this;
    }

    /** Our node id; random when not set (a daemon should keep its id across runs, with its saved nodes). */
    public DhtConfig nodeId(final NodeId id)
    {
        this.nodeId = id;
        return this;
    }

    public DhtConfig alpha(final int value)
    {
        this.alpha = value;
        return this;
    }

    /** Most buckets (1-160): the table holds at most 8 times this many nodes. */
    public DhtConfig maxBuckets(final int value)
    {
        this.maxBuckets = value;
        return this;
    }

    /** Most of our queries waiting for an answer at once (all lookups, pings and announces together). */
    public DhtConfig maxOutstanding(final int value)
    {
        this.maxOutstanding = value;
        return this;
    }

    /** Most lookups running at once; more wait their turn (up to 8 times this many, then they fail). */
    public DhtConfig maxLookups(final int value)
    {
        this.maxLookups = value;
        return this;
    }

    /** Queries answered per source IP: average rate and burst. */
    public DhtConfig rateLimit(final double perSecond, final int burst)
    {
        this.queriesPerSecondPerSource = perSecond;
        this.queryBurstPerSource = burst;
        return this;
    }

    /** announce_peer storage bounds: per info-hash, info-hashes, peers in all. */
    public DhtConfig peerStore(final int perInfoHash, final int infoHashes, final int total)
    {
        this.maxPeersPerInfoHash = perInfoHash;
        this.maxInfoHashes = infoHashes;
        this.maxStoredPeers = total;
        return this;
    }

    /** Query timeout bounds: adaptive between min and max, initial before any round trip was measured. */
    public DhtConfig timeouts(final long minNs, final long initialNs, final long maxNs)
    {
        this.minTimeoutNs = minNs;
        this.initialTimeoutNs = initialNs;
        this.maxTimeoutNs = maxNs;
        return this;
    }

    /** Longest a lookup may run before it reports what it has. */
    public DhtConfig lookupTimeout(final long ns)
    {
        this.lookupTimeoutNs = ns;
        return this;
    }

    /** Checks every setting; called by {@link DhtNode#start}. */
    public DhtConfig conclude()
    {
        require(alpha >= 1 && alpha <= 16, "alpha must be 1-16");
        require(maxBuckets >= 1 && maxBuckets <= NodeId.BITS, "maxBuckets must be 1-160");
        require(maxOutstanding >= alpha && maxOutstanding <= 60_000, "maxOutstanding must be alpha-60000");
        require(maxLookups >= 1 && maxQueriesPerLookup >= RoutingTable.K, "lookup limits too small");
        require(queriesPerSecondPerSource > 0 && queryBurstPerSource >= 1 && maxRateLimitedSources >= 1,
            "rate limit must be positive");
        require(maxPeersPerInfoHash >= 1 && maxInfoHashes >= 1 && maxStoredPeers >= 1, "peer store must hold some");
        require(maxValuesPerReply >= 1 && maxValuesPerReply <= 100, "values per reply must be 1-100 (one datagram)");
        require(minTimeoutNs > 0 && minTimeoutNs <= initialTimeoutNs && initialTimeoutNs <= maxTimeoutNs,
            "timeouts need 0 < min <= initial <= max");
        require(lookupTimeoutNs > 0, "lookup timeout must be positive");
        require(bind != null, "bind address missing");
        concluded = true;
        return this;
    }

    boolean concluded()
    {
        return concluded;
    }

    /** @return HOST:PORT as an unresolved address. */
    public static InetSocketAddress parseHostPort(final String hostPort)
    {
        final int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
        {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
        }
        final String host = hostPort.startsWith("[") && hostPort.charAt(colon - 1) == ']' ?
            hostPort.substring(1, colon - 1) : hostPort.substring(0, colon);
        final int port;
        try
        {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("bad port in '" + hostPort + "'", e);
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static void require(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(message);
        }
    }

    public InetSocketAddress bind()
    {
        return bind;
    }

    public List<String> bootstrap()
    {
        return List.copyOf(bootstrap);
    }

    public List<Contact> savedNodes()
    {
        return List.copyOf(savedNodes);
    }

    public NodeId nodeId()
    {
        return nodeId;
    }

    public int alpha()
    {
        return alpha;
    }

    public int maxBuckets()
    {
        return maxBuckets;
    }

    public int maxOutstanding()
    {
        return maxOutstanding;
    }

    public int maxLookups()
    {
        return maxLookups;
    }

    public int maxQueriesPerLookup()
    {
        return maxQueriesPerLookup;
    }

    public double queriesPerSecondPerSource()
    {
        return queriesPerSecondPerSource;
    }

    public int queryBurstPerSource()
    {
        return queryBurstPerSource;
    }

    public int maxRateLimitedSources()
    {
        return maxRateLimitedSources;
    }

    public int maxPeersPerInfoHash()
    {
        return maxPeersPerInfoHash;
    }

    public int maxInfoHashes()
    {
        return maxInfoHashes;
    }

    public int maxStoredPeers()
    {
        return maxStoredPeers;
    }

    public int maxValuesPerReply()
    {
        return maxValuesPerReply;
    }

    public long minTimeoutNs()
    {
        return minTimeoutNs;
    }

    public long initialTimeoutNs()
    {
        return initialTimeoutNs;
    }

    public long maxTimeoutNs()
    {
        return maxTimeoutNs;
    }

    public long lookupTimeoutNs()
    {
        return lookupTimeoutNs;
    }
}
