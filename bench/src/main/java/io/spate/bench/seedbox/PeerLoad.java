package io.spate.bench.seedbox;

import io.spate.metainfo.Metainfo;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Peer load on a seeding daemon (tools/service/seedbox.py): CONNECTIONS leecher connections from one selector
 * thread, spread evenly over the .torrent files of a directory (connection i takes torrent i * T / CONNECTIONS of
 * the T files in name order), at most WINDOW connects in flight at once (the engine listens with a backlog of 128).
 * Each connection downloads its whole torrent PASSES times and checks every piece against its SHA-1
 * ({@link LoadConnection}), then holds its connection open until every connection is done, plus HOLD seconds.
 * Bounded by SECONDS in all and STALL seconds without progress per connection. Prints one JSON line: connections
 * attempted, connected, handshaken, served, peak open at once, failures by reason with a sample detail each, bytes,
 * pieces verified, and latency percentiles (HdrHistogram) of connect, handshake, request round trip and time to
 * served. Loopback targets only.
 * <pre>
 *   java -cp bench/target/bench.jar io.spate.bench.seedbox.PeerLoad --port P --torrents DIR --connections 1000
 *       [--host 127.0.0.1] [--passes 1] [--slots 2] [--window 100] [--seconds 300] [--stall 60] [--hold 5]
 * </pre>
 */
public final class PeerLoad
{
    private PeerLoad()
    {
    }

    public static void main(final String[] argv) throws Exception
    {
        final Map<String, String> args = options(argv);
        final InetSocketAddress seed = new InetSocketAddress(args.getOrDefault("host", "127.0.0.1"),
            Integer.parseInt(required(args, "port")));
        if (!seed.getAddress().isLoopbackAddress())
        {
            throw new IllegalArgumentException("loopback targets only: " + seed);
        }
        final Path dir = Path.of(required(args, "torrents"));
        final int connections = Integer.parseInt(required(args, "connections"));
        final int passes = Integer.parseInt(args.getOrDefault("passes", "1"));
        final int slots = Integer.parseInt(args.getOrDefault("slots", "2"));
        final int window = Integer.parseInt(args.getOrDefault("window", "100"));
        final long seconds = Long.parseLong(args.getOrDefault("seconds", "300"));
        final long stallNs = Long.parseLong(args.getOrDefault("stall", "60")) * 1_000_000_000L;
        final long holdNs = Long.parseLong(args.getOrDefault("hold", "5")) * 1_000_000_000L;

        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(p -> p.toString().endsWith(".torrent")).sorted().toList();
        }
        if (files.isEmpty() || connections < 1 || passes < 1 || slots < 1 || window < 1)
        {
            throw new IllegalArgumentException("need .torrent files in " + dir + " and positive counts");
        }
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args.getOrDefault("seed", "1")));
        final LoadCounters counters = new LoadCounters();
        final Map<Integer, Metainfo> loaded = new HashMap<>();
        final List<LoadConnection> conns = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++)
        {
            final int t = (int)((long)i * files.size() / connections);
            final Metainfo torrent = loaded.computeIfAbsent(t, k -> load(files.get(k)));
            final byte[] peerId = new byte[20];
            System.arraycopy("-SL0001-".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, peerId, 0, 8);
            for (int b = 8; b < 20; b++)
            {
                peerId[b] = (byte)('a' + random.nextInt(26));
            }
            conns.add(new LoadConnection(torrent, seed, peerId, passes, slots, random.nextInt(1 << 20), counters));
        }

        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + seconds * 1_000_000_000L;
        long allDoneNs = 0;
        long openWhenAllDone = -1;
        int next = 0;
        long lastCheckNs = 0;
        try (Selector selector = Selector.open())
        {
            while (true)
            {
                long nowNs = System.nanoTime();
                if (nowNs >= deadlineNs)
                {
                    break;
                }
                int connecting = 0;
                for (int i = 0; i < next; i++)
                {
                    if (conns.get(i).phase == LoadConnection.Phase.CONNECTING)
                    {
                        connecting++;
                    }
                }
                while (next < conns.size() && connecting < window)
                {
                    try
                    {
                        conns.get(next).connect(selector, nowNs);
                    }
                    catch (final IOException ex)
                    {
                        conns.get(next).outcome = LoadOutcome.CONNECT_FAILED;
                        conns.get(next).detail = ex.getMessage();
                        conns.get(next).phase = LoadConnection.Phase.FINISHED;
                    }
                    next++;
                    connecting++;
                }
                selector.select(10);
                nowNs = System.nanoTime();
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    final LoadConnection conn = (LoadConnection)key.attachment();
                    if (!key.isValid())
                    {
                        continue;
                    }
                    if (key.isConnectable())
                    {
                        conn.onConnectable(nowNs);
                    }
                    else
                    {
                        if (key.isValid() && key.isWritable())
                        {
                            conn.flush();
                        }
                        if (key.isValid() && key.isReadable())
                        {
                            conn.onReadable(nowNs);
                        }
                    }
                }
                if (nowNs - lastCheckNs > 100_000_000L)
                {
                    lastCheckNs = nowNs;
                    boolean running = next < conns.size();
                    for (final LoadConnection conn : conns)
                    {
                        if (conn.outcome == LoadOutcome.RUNNING)
                        {
                            conn.checkTimeouts(nowNs, stallNs);
                            running |= conn.outcome == LoadOutcome.RUNNING;
                        }
                    }
                    if (!running && allDoneNs == 0)
                    {
                        allDoneNs = nowNs;
                        openWhenAllDone = counters.open;
                    }
                    if (allDoneNs != 0 && nowNs - allDoneNs >= holdNs)
                    {
                        break;
                    }
                }
            }
            final long openAtEnd = counters.open;
            final long endNs = System.nanoTime();
            for (final LoadConnection conn : conns)
            {
                if (conn.outcome == LoadOutcome.SERVED)
                {
                    counters.servedMs.recordValue(Math.max(0, (conn.servedNs - conn.startedNs) / 1_000_000));
                }
                conn.closeAtEnd();
            }
            report(counters, conns, files.size(), loaded.size(), connections, passes, window,
                (endNs - startNs) / 1e9, allDoneNs == 0 ? -1 : (allDoneNs - startNs) / 1e9, openWhenAllDone,
                openAtEnd);
        }
    }

    private static void report(final LoadCounters c, final List<LoadConnection> conns, final int torrentFiles,
        final int torrentsUsed, final int connections, final int passes, final int window, final double seconds,
        final double allDoneSeconds, final long openWhenAllDone, final long openAtEnd)
    {
        final Map<LoadOutcome, Integer> outcomes = new EnumMap<>(LoadOutcome.class);
        final Map<LoadOutcome, String> samples = new EnumMap<>(LoadOutcome.class);
        long closedAfterServed = 0;
        for (final LoadConnection conn : conns)
        {
            outcomes.merge(conn.outcome, 1, Integer::sum);
            samples.putIfAbsent(conn.outcome, conn.detail);
            closedAfterServed += conn.closedAfterServed ? 1 : 0;
        }
        final StringBuilder json = new StringBuilder(1024);
        json.append("{\"event\":\"load\"");
        field(json, "torrent_files", torrentFiles);
        field(json, "torrents_used", torrentsUsed);
        field(json, "connections", connections);
        field(json, "passes", passes);
        field(json, "window", window);
        json.append(String.format(Locale.ROOT, ",\"seconds\":%.3f,\"all_done_seconds\":%.3f", seconds,
            allDoneSeconds));
        field(json, "attempted", c.attempted);
        field(json, "connected", c.connected);
        field(json, "handshaken", c.handshaken);
        field(json, "served", c.served);
        field(json, "failed", connections - c.served);
        field(json, "peak_open", c.peakOpen);
        field(json, "open_when_all_done", openWhenAllDone);
        field(json, "open_at_end", openAtEnd);
        field(json, "closed_by_seed_after_served", closedAfterServed);
        field(json, "bytes_received", c.bytesReceived);
        field(json, "requests", c.requests);
        field(json, "blocks", c.blocks);
        field(json, "pieces_verified", c.piecesVerified);
        field(json, "bad_pieces", c.badPieces);
        field(json, "unrequested_blocks", c.unrequestedBlocks);
        field(json, "chokes", c.chokes);
        field(json, "incomplete_bitfields", c.incompleteSeeds);
        field(json, "requests_from_seed", c.requestsFromSeed);
        json.append(",\"outcomes\":{");
        boolean first = true;
        for (final Map.Entry<LoadOutcome, Integer> e : outcomes.entrySet())
        {
            json.append(first ? "" : ",").append('"').append(e.getKey().name().toLowerCase(Locale.ROOT))
                .append("\":{\"count\":").append(e.getValue()).append(",\"sample\":\"")
                .append(samples.get(e.getKey()).replace("\\", "\\\\").replace("\"", "'")).append("\"}");
            first = false;
        }
        json.append('}');
        percentiles(json, "connect_us", c.connectUs);
        percentiles(json, "handshake_us", c.handshakeUs);
        percentiles(json, "rtt_us", c.rttUs);
        percentiles(json, "served_ms", c.servedMs);
        json.append('}');
        System.out.println(json);
    }

    private static void field(final StringBuilder json, final String name, final long value)
    {
        json.append(",\"").append(name).append("\":").append(value);
    }

    private static void percentiles(final StringBuilder json, final String name, final Histogram h)
    {
        json.append(",\"").append(name).append("\":{\"count\":").append(h.getTotalCount());
        for (final double p : new double[] {50, 90, 99, 99.9})
        {
            json.append(",\"p").append(String.valueOf(p).replace(".0", "").replace('.', '_')).append("\":")
                .append(h.getValueAtPercentile(p));
        }
        json.append(",\"max\":").append(h.getMaxValue()).append('}');
    }

    private static Metainfo load(final Path file)
    {
        try
        {
            return Metainfo.load(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
        }
    }

    private static String required(final Map<String, String> args, final String name)
    {
        final String value = args.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static Map<String, String> options(final String[] argv)
    {
        final Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i += 2)
        {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length)
            {
                throw new IllegalArgumentException("options are --name value pairs; got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        return args;
    }
}
