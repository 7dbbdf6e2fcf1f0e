package io.spate.magnet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a torrent's info dictionary from a set of peers (BEP 9): up to {@value #PARALLEL} peers at once, the
 * first whose metadata hashes to the info-hash wins and the others are dropped. A peer that lies (bad metadata,
 * a wrong info-hash, oversized lengths) fails alone. Control path: a few threads that live for one fetch.
 */
public final class MetadataFetcher
{
    static final int PARALLEL = 4;

    private final byte[] infoHash;
    private final byte[] peerId;
    private final int peerTimeoutMs;

    /** @param peerTimeoutMs bound on connecting and on each read from one peer. */
    public MetadataFetcher(final byte[] infoHash, final byte[] peerId, final int peerTimeoutMs)
    {
        this.infoHash = infoHash.clone();
        this.peerId = peerId.clone();
        this.peerTimeoutMs = peerTimeoutMs;
    }

    /**
     * @param peers     whom to ask, in order.
     * @param timeoutMs bound on the whole fetch.
     * @return the verified info dictionary.
     * @throws IOException naming each peer's failure when none gave it in time.
     */
    public byte[] fetch(final List<InetSocketAddress> peers, final long timeoutMs) throws IOException
    {
        if (peers.isEmpty())
        {
            throw new IOException("no peers to ask for the metadata");
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, peers.size()), r ->
        {
            final Thread t = new Thread(r, "spate-metadata");
            t.setDaemon(true);
            return t;
        });
        final CompletionService<byte[]> done = new ExecutorCompletionService<>(pool);
        final Map<Future<byte[]>, InetSocketAddress> asked = new LinkedHashMap<>();
        final List<PeerMetadataSession> sessions = new ArrayList<>();
        final Map<InetSocketAddress, String> failures = new LinkedHashMap<>();
        try
        {
            for (final InetSocketAddress peer : peers)
            {
                final PeerMetadataSession session = new PeerMetadataSession(resolved(peer), infoHash, peerId,
                    peerTimeoutMs);
                sessions.add(session);
                asked.put(done.submit(session::fetch), peer);
            }
            for (int i = 0; i < asked.size(); i++)
            {
                final long left = deadline - System.nanoTime();
                final Future<byte[]> next = left > 0 ? done.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null)
                {
                    break;
                }
                try
                {
                    return next.get();
                }
                catch (final ExecutionException ex)
                {
                    final Throwable cause = ex.getCause();
                    failures.put(asked.get(next), cause.getMessage() == null ? cause.toString() : cause.getMessage());
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the metadata", ex);
        }
        finally
        {
            pool.shutdownNow();
            sessions.forEach(PeerMetadataSession::close); // unblocks the sessions still reading
        }
        final StringBuilder why = new StringBuilder(failures.size() == peers.size() ?
            "no peer sent valid metadata (asked " + peers.size() + ")" :
            "no peer sent valid metadata in " + timeoutMs + " ms (asked " + peers.size() + ")");
        failures.forEach((peer, message) -> why.append("; ").append(peer).append(": ").append(message));
        throw new IOException(why.toString());
    }

    private static InetSocketAddress resolved(final InetSocketAddress peer)
    {
        return peer.isUnresolved() ? new InetSocketAddress(peer.getHostString(), peer.getPort()) : peer;
    }
}
