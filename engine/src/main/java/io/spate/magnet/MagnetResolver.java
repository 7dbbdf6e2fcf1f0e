package io.spate.magnet;

import io.spate.bencode.BencodeWriter;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.AnnounceEvent;
import io.spate.tracker.client.AnnounceParams;
import io.spate.tracker.client.TrackerClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns a magnet link into a {@link Metainfo}: peers from its {@code x.pe}, from the caller, and from announcing
 * the info-hash to its trackers; the info dictionary fetched from them ({@link MetadataFetcher}); then a torrent
 * built around those exact bytes, so the info-hash is the link's. Rounds repeat (a fresh announce each) until the
 * time runs out. Control path.
 */
public final class MagnetResolver
{
    /**
     * What we tell the trackers is left before we know the torrent's size: any positive number keeps us a leecher
     * in their eyes, so they hand us seeds.
     */
    static final long LEFT_BEFORE_METADATA = 16 * 1024;
    private static final long ROUND_MS = 15_000;
    private static final long PAUSE_MS = 1_000;

    private final TrackerClient trackerClient;
    private final byte[] peerId;
    private final int port;
    private final Consumer<String> warnings;

    /**
     * @param peerId   the peer id to announce and handshake with.
     * @param port     our listen port, for the announce.
     * @param warnings told of each failed round and each tracker that failed.
     */
    public MagnetResolver(final TrackerClient trackerClient, final byte[] peerId, final int port,
        final Consumer<String> warnings)
    {
        this.trackerClient = trackerClient;
        this.peerId = peerId.clone();
        this.port = port;
        this.warnings = warnings;
    }

    /**
     * @param trackers  http(s) trackers to announce to (the link's, and any the user added).
     * @param peers     peers to ask besides the trackers' (the link's x.pe, and any the user added).
     * @param timeoutMs bound on the whole resolution.
     * @throws IOException naming why no peer gave valid metadata in time.
     */
    public Metainfo resolve(final MagnetLink link, final List<URI> trackers, final List<InetSocketAddress> peers,
        final long timeoutMs) throws IOException
    {
        return resolve(link, trackers, peers, infoHash -> List.of(), timeoutMs);
    }

    /**
     * As above, with one more source of peers asked each round (the DHT: a get_peers lookup of the info-hash, which
     * finds peers for a magnet link with no tracker at all).
     *
     * @param peerSource gives peers for an info-hash; blocks at most a round's worth, returns an empty list on failure.
     */
    public Metainfo resolve(final MagnetLink link, final List<URI> trackers, final List<InetSocketAddress> peers,
        final Function<byte[], List<InetSocketAddress>> peerSource, final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final MetadataFetcher fetcher = new MetadataFetcher(link.infoHash(), fetchPeerId(peerId), 5_000);
        IOException last = null;
        while (true)
        {
            final Set<InetSocketAddress> candidates = new LinkedHashSet<>(peers);
            candidates.addAll(announce(link.infoHash(), trackers));
            candidates.addAll(peerSource.apply(link.infoHash()));
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0)
            {
                break;
            }
            try
            {
                final byte[] info = fetcher.fetch(new ArrayList<>(candidates), Math.min(leftMs, ROUND_MS));
                return Metainfo.parse(torrent(info, link.trackers(), link.webSeeds()));
            }
            catch (final IOException ex)
            {
                last = ex;
                warnings.accept("metadata: " + ex.getMessage());
            }
            if (TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) <= PAUSE_MS)
            {
                break;
            }
            try
            {
                Thread.sleep(PAUSE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching the metadata", ex);
            }
        }
        throw new IOException("magnet " + link.infoHashHex() + ": no metadata after " + timeoutMs / 1000 + " s" +
            (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    /**
     * The peer id of the metadata connections: the engine's client prefix with other random bytes, so a peer that
     * has not yet seen our metadata connection close does not take the engine's own dial for a duplicate.
     */
    private static byte[] fetchPeerId(final byte[] enginePeerId)
    {
        final byte[] id = enginePeerId.clone();
        final byte[] random = new byte[12];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
        System.arraycopy(random, 0, id, 8, random.length);
        return id;
    }

    private List<InetSocketAddress> announce(final byte[] infoHash, final List<URI> trackers)
    {
        final List<InetSocketAddress> found = new ArrayList<>();
        for (final URI tracker : trackers)
        {
            try
            {
                found.addAll(trackerClient.announce(tracker, AnnounceParams.of(infoHash, peerId, port,
                    LEFT_BEFORE_METADATA, AnnounceEvent.NONE)).peers());
            }
            catch (final IOException ex)
            {
                warnings.accept("tracker " + tracker + ": " + ex.getMessage());
            }
        }
        return found;
    }

    /**
     * A .torrent around the fetched info dictionary, copied byte for byte (the info-hash is of those bytes), with
     * the link's trackers as {@code announce} and one tier each in {@code announce-list} (BEP 12), and its web seeds
     * as {@code url-list} (BEP 19).
     */
    public static byte[] torrent(final byte[] info, final List<URI> trackers, final List<String> webSeeds)
    {
        final BencodeWriter w = new BencodeWriter(info.length + 256).startDict();
        if (!trackers.isEmpty())
        {
            string(w.string("announce"), trackers.get(0).toString());
            w.string("announce-list").startList();
            for (final URI tracker : trackers)
            {
                string(w.startList(), tracker.toString()).end();
            }
            w.end();
        }
        w.string("info").raw(info, 0, info.length);
        if (!webSeeds.isEmpty())
        {
            // the magnet link's ws= web seeds, as the url-list the .torrent would have carried (BEP 19)
            w.string("url-list").startList();
            for (final String url : webSeeds)
            {
                string(w, url);
            }
            w.end();
        }
        return w.end().toByteArray();
    }

    private static BencodeWriter string(final BencodeWriter w, final String text)
    {
        final byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        return w.bytes(raw, 0, raw.length);
    }
}
