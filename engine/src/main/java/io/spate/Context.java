package io.spate;

import io.spate.choke.Choker;
import io.spate.dht.DhtLink;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Engine configuration: fluent setters, each with a system-property default, validated in {@link #conclude()}.
 */
public final class Context
{
    public static final String THREADS_PROP = "spate.threads";
    public static final String RING_SIZE_PROP = "spate.ring.size";
    public static final int RING_SIZE_DEFAULT = 1024;
    public static final String DISK_HANDLERS_PROP = "spate.disk.handlers";
    /** The property's first name, from when hashing had handlers of its own; still read (recorded commands use it). */
    public static final String HASH_SHARDS_PROP = "spate.hash.shards";
    /** A seed's choking, {@code fastest} or {@code round-robin}: the default of {@link #seedChoking}. */
    public static final String SEED_CHOKING_PROP = "spate.seed.choking";
    /** Regular unchoke slots per torrent (the optimistic one comes on top). */
    public static final String UNCHOKE_SLOTS_PROP = "spate.unchoke.slots";
    public static final String MAX_TORRENTS_PROP = "spate.max.torrents";
    /** Enough for a seedbox: the registry costs two references a slot, so the bound is cheap to raise. */
    public static final int MAX_TORRENTS_DEFAULT = 16_384;

    private InetAddress bindAddress;
    private int port = 6881;
    private int threads = Integer.getInteger(THREADS_PROP, Runtime.getRuntime().availableProcessors());
    private ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    private int ringSize = Integer.getInteger(RING_SIZE_PROP, RING_SIZE_DEFAULT);
    private int diskHandlers = Integer.getInteger(DISK_HANDLERS_PROP, Integer.getInteger(HASH_SHARDS_PROP,
        Math.max(1, Runtime.getRuntime().availableProcessors() - 1)));
    private int maxTorrents = Integer.getInteger(MAX_TORRENTS_PROP, MAX_TORRENTS_DEFAULT);
    private byte[] peerId;
    private Choker.SeedChoking seedChoking = "fastest".equals(System.getProperty(SEED_CHOKING_PROP)) ?
        Choker.SeedChoking.FASTEST : Choker.SeedChoking.ROUND_ROBIN;
    private int unchokeSlots = Integer.getInteger(UNCHOKE_SLOTS_PROP, Choker.DEFAULT_REGULAR_SLOTS);
    private boolean superSeed;
    private boolean freeRider;
    private boolean sequential;
    private final DhtLink dhtLink = new DhtLink();
    private long maxUploadRate;
    private long maxDownloadRate;
    private boolean concluded;

    /** Address to listen on; null (the default) means every interface. */
    public Context bindAddress(final InetAddress address)
    {
        this.bindAddress = address;
        return this;
    }

    public InetAddress bindAddress()
    {
        return bindAddress;
    }

    /** Listen port; 0 picks a free one (see {@code Engine.listenAddress()}). */
    public Context port(final int port)
    {
        this.port = port;
        return this;
    }

    public int port()
    {
        return port;
    }

    public Context threads(final int threads)
    {
        this.threads = threads;
        return this;
    }

    public int threads()
    {
        return threads;
    }

    public Context threadingMode(final ThreadingMode mode)
    {
        this.threadingMode = mode;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /** Verify ring slots (power of two); each holds one 16 KiB block. */
    public Context ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    public int ringSize()
    {
        return ringSize;
    }

    /** Disk handler threads on the verify ring, each writing and hashing its shard of the pieces. */
    public Context diskHandlers(final int diskHandlers)
    {
        this.diskHandlers = diskHandlers;
        return this;
    }

    public int diskHandlers()
    {
        return diskHandlers;
    }

    /** Torrents the engine holds at once (slots of the pipeline's torrent registry). */
    public Context maxTorrents(final int maxTorrents)
    {
        this.maxTorrents = maxTorrents;
        return this;
    }

    public int maxTorrents()
    {
        return maxTorrents;
    }

    /** Our 20-byte peer id; by default "-SP0100-" and 12 random characters (Azureus style, BEP 20). */
    public Context peerId(final byte[] peerId)
    {
        this.peerId = peerId.clone();
        return this;
    }

    public byte[] peerId()
    {
        return peerId.clone();
    }

    /** How a seed gives out its unchoke slots: to the fastest receivers, or in turn. */
    public Context seedChoking(final Choker.SeedChoking seedChoking)
    {
        this.seedChoking = seedChoking;
        return this;
    }

    public Choker.SeedChoking seedChoking()
    {
        return seedChoking;
    }

    /** Regular unchoke slots per torrent; one optimistic slot comes on top. */
    public Context unchokeSlots(final int slots)
    {
        this.unchokeSlots = slots;
        return this;
    }

    public int unchokeSlots()
    {
        return unchokeSlots;
    }

    /**
     * Super-seeding (BEP 16) for torrents we seed from the start: each peer is offered one piece, the rarest, and the
     * next only once that piece is seen at another peer. For initial seeds only: it slows every other case.
     */
    public Context superSeed(final boolean superSeed)
    {
        this.superSeed = superSeed;
        return this;
    }

    public boolean superSeed()
    {
        return superSeed;
    }

    /** An experiment's free-rider: downloads, never unchokes anyone (so the swarm's incentives can be measured). */
    public Context freeRider(final boolean freeRider)
    {
        this.freeRider = freeRider;
        return this;
    }

    public boolean freeRider()
    {
        return freeRider;
    }

    /**
     * Download pieces in index order, lowest first, instead of rarest first: for streaming. Costs the swarm: rare
     * pieces spread slower, so a swarm whose seed leaves early may never hold a whole copy.
     */
    public Context sequential(final boolean sequential)
    {
        this.sequential = sequential;
        return this;
    }

    public boolean sequential()
    {
        return sequential;
    }

    /** Where the engine's connections meet the DHT node, once one is attached (BEP 5's PORT message). */
    public DhtLink dhtLink()
    {
        return dhtLink;
    }

    /** The engine's upload limit over every torrent, bytes per second; 0 (the default) is none. */
    public Context maxUploadRate(final long bytesPerSecond)
    {
        this.maxUploadRate = bytesPerSecond;
        return this;
    }

    public long maxUploadRate()
    {
        return maxUploadRate;
    }

    /** The engine's download limit over every torrent, bytes per second; 0 (the default) is none. */
    public Context maxDownloadRate(final long bytesPerSecond)
    {
        this.maxDownloadRate = bytesPerSecond;
        return this;
    }

    public long maxDownloadRate()
    {
        return maxDownloadRate;
    }

    public InetSocketAddress listenSocketAddress()
    {
        return bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port);
    }

    /** Validates and fills in defaults; called by {@code Engine.launch}. */
    public Context conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (threads < 1 || threads > 256)
        {
            throw new IllegalArgumentException("threads must be 1..256, got " + threads);
        }
        if (ringSize < 64 || ringSize > 1 << 16 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two in 64..65536 (each slot holds a " +
                "16 KiB block), got " + ringSize);
        }
        if (diskHandlers < 1 || diskHandlers > 64)
        {
            throw new IllegalArgumentException("disk handlers must be 1..64, got " + diskHandlers);
        }
        if (unchokeSlots < 1 || unchokeSlots > 64)
        {
            throw new IllegalArgumentException("unchoke slots must be 1..64, got " + unchokeSlots);
        }
        if (maxUploadRate < 0)
        {
            throw new IllegalArgumentException("max upload rate must be >= 0 bytes/s (0: no limit), got " +
                maxUploadRate);
        }
        if (maxTorrents < 1 || maxTorrents > 1 << 20)
        {
            throw new IllegalArgumentException("max torrents must be 1..1048576, got " + maxTorrents);
        }
        if (peerId == null)
        {
            peerId = generatePeerId();
        }
        else if (peerId.length != 20)
        {
            throw new IllegalArgumentException("peer id must be 20 bytes");
        }
        concluded = true;
        return this;
    }

    /**
     * "-SP0100-" then 12 random characters. Not a secret (every peer sees it), so no SecureRandom: its first use costs
     * ~30 ms of provider and NativePRNG start-up on the path to a leecher's first connection (async-profiler, wall).
     */
    static byte[] generatePeerId()
    {
        final byte[] id = new byte[20];
        final byte[] prefix = "-SP0100-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        final String alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = prefix.length; i < id.length; i++)
        {
            id[i] = (byte)alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return id;
    }
}
