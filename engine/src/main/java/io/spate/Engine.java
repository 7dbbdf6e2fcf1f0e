package io.spate;

import io.spate.agent.NetworkAgents;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.metrics.CloseCounters;
import io.spate.storage.PieceChecker;
import io.spate.storage.TorrentStorage;
import io.spate.verify.TorrentRegistry;
import io.spate.verify.VerifyPipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A running Spate engine: network agents (each owning its sockets and torrents), the Disruptor pipeline that
 * writes blocks to the files with positional writes and verifies pieces, and the listening socket. Launch with
 * {@link #launch}, add torrents, close when done. Torrents are checked against their data on all cores before they
 * start (that check alone reads through memory mappings), one at a time; torrents whose verified pieces are known
 * (fast resume) are added from any number of threads at once.
 */
public final class Engine implements AutoCloseable
{
    private final Context ctx;
    private final VerifyPipeline pipeline;
    private final NetworkAgents agents;
    /** Open torrents' files: each closed once, by its removal or by {@link #close}, whichever takes it from here. */
    private final Set<TorrentStorage> storages = ConcurrentHashMap.newKeySet();
    private volatile Throwable agentError;

    private Engine(final Context ctx) throws IOException
    {
        this.ctx = ctx;
        this.pipeline = new VerifyPipeline(ctx.ringSize(), ctx.diskHandlers(),
            new TorrentRegistry(ctx.maxTorrents(), ctx.threads()));
        try
        {
            this.agents = new NetworkAgents(ctx, pipeline, t -> agentError = t);
        }
        catch (final IOException | RuntimeException ex)
        {
            pipeline.close();
            throw ex;
        }
    }

    /** Starts an engine: binds the listen port and starts its threads. */
    public static Engine launch(final Context ctx) throws IOException
    {
        return new Engine(ctx.conclude());
    }

    public Context context()
    {
        return ctx;
    }

    /** @return the address peers reach us at (the real port when 0 was asked for). */
    public InetSocketAddress listenAddress() throws IOException
    {
        return agents.listenAddress();
    }

    public byte[] peerId()
    {
        return agents.peerId();
    }

    public CloseCounters closeCounters()
    {
        return agents.closeCounters();
    }

    /** Sets the engine's upload limit over every torrent, bytes per second (0 = none), at once. */
    public void maxUploadRate(final long bytesPerSecond)
    {
        agents.limits().upload().rate(bytesPerSecond);
    }

    public long maxUploadRate()
    {
        return agents.limits().upload().rate();
    }

    /** The engine's download limit over every torrent, bytes per second, at once; 0 lifts it. */
    public void maxDownloadRate(final long bytesPerSecond)
    {
        agents.limits().download().rate(bytesPerSecond);
    }

    public long maxDownloadRate()
    {
        return agents.limits().download().rate();
    }

    /** @return the first unexpected error an agent thread hit, or null. */
    public Throwable agentError()
    {
        return agentError;
    }

    /**
     * Opens the torrent's files under {@code dir} (creating them unless {@code seedOnly}), checks what is there
     * against the piece hashes on all cores, and starts the torrent on an agent.
     *
     * @param checkProgress receives bytes checked so far, may be null.
     */
    public TorrentHandle addTorrent(final Metainfo metainfo, final Path dir, final boolean seedOnly,
        final TorrentListener listener, final Consumer<Long> checkProgress) throws InterruptedException
    {
        return addTorrent(metainfo, dir, seedOnly, null, listener, checkProgress);
    }

    /**
     * As {@link #addTorrent(Metainfo, Path, boolean, TorrentListener, Consumer)}, downloading only the files the
     * priorities want (null: all): a skipped file is not created, the bytes of it that wanted pieces share go to the
     * part file in {@code dir}.
     */
    public synchronized TorrentHandle addTorrent(final Metainfo metainfo, final Path dir, final boolean seedOnly,
        final FilePriorities priorities, final TorrentListener listener, final Consumer<Long> checkProgress)
        throws InterruptedException
    {
        final TorrentStorage storage = TorrentStorage.open(metainfo, dir, !seedOnly, priorities);
        try
        {
            final AtomicLong progress = new AtomicLong();
            final BitSet verified = PieceChecker.check(storage, Runtime.getRuntime().availableProcessors(), progress);
            storage.releaseMappings(); // the check is done: nothing reads through the mappings after it
            if (checkProgress != null)
            {
                checkProgress.accept(progress.get());
            }
            if (seedOnly && verified.cardinality() != metainfo.pieceCount())
            {
                final int bad = verified.nextClearBit(0);
                throw new io.spate.storage.StorageException(dir + ": the data does not match the torrent: piece " +
                    bad + " (bytes " + (long)bad * metainfo.pieceLength() + "..) fails its SHA-1 check; " +
                    (metainfo.pieceCount() - verified.cardinality()) + " of " + metainfo.pieceCount() +
                    " pieces are missing or wrong");
            }
            final TorrentHandle handle = agents.add(storage, verified, priorities, listener,
                () -> closeRemoved(storage));
            storages.add(storage);
            return handle;
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            storage.close();
            throw ex;
        }
    }

    /**
     * Starts a torrent whose verified pieces are already known (fast resume): opens its files under {@code dir},
     * creating what is missing, and starts it on an agent without hashing anything. The caller vouches for
     * {@code verified} (resume data whose files still match, spot-checked): a piece in it is served as it is.
     */
    public TorrentHandle addTorrent(final Metainfo metainfo, final Path dir, final BitSet verified,
        final TorrentListener listener)
    {
        return addTorrent(metainfo, dir, verified, null, listener);
    }

    /**
     * As {@link #addTorrent(Metainfo, Path, BitSet, TorrentListener)}, with the files' priorities (null: all). A
     * piece of {@code verified} whose part-file bytes are gone (a part file cut short or replaced) is dropped from
     * it: it is fetched again rather than served wrong. Not synchronized: 10,000 restarting torrents come through here
     * from several threads (perf-results/service/seedbox.md).
     */
    public TorrentHandle addTorrent(final Metainfo metainfo, final Path dir, final BitSet verified,
        final FilePriorities priorities, final TorrentListener listener)
    {
        checkVerified(metainfo, verified);
        return addTorrent(TorrentStorage.open(metainfo, dir, true, priorities), verified, priorities, listener);
    }

    /**
     * As {@link #addTorrent(Metainfo, Path, BitSet, FilePriorities, TorrentListener)}, on files the caller opened for
     * writing (with these priorities) to confirm {@code verified} by reading a few pieces: the engine takes them over
     * and closes them, also when this throws. A restart opened each torrent's files twice before (perf-results/service/
     * seedbox.md).
     */
    public TorrentHandle addTorrent(final TorrentStorage storage, final BitSet verified,
        final FilePriorities priorities, final TorrentListener listener)
    {
        storages.add(storage); // before the agent has it: a close() meanwhile closes it too
        try
        {
            checkVerified(storage.metainfo(), verified);
            final BitSet trusted = (BitSet)verified.clone();
            for (int piece = trusted.nextSetBit(0); piece >= 0; piece = trusted.nextSetBit(piece + 1))
            {
                if (!storage.holdsPartBytes(piece))
                {
                    trusted.clear(piece);
                }
            }
            return agents.add(storage, trusted, priorities, listener, () -> closeRemoved(storage));
        }
        catch (final RuntimeException ex)
        {
            if (storages.remove(storage))
            {
                storage.close();
            }
            throw ex;
        }
    }

    private static void checkVerified(final Metainfo metainfo, final BitSet verified)
    {
        if (verified.length() > metainfo.pieceCount())
        {
            throw new IllegalArgumentException(metainfo.name() + ": verified piece " + (verified.length() - 1) +
                " is beyond the torrent's " + metainfo.pieceCount() + " pieces");
        }
    }

    /** A removed torrent's files: flushed and closed unless the engine's close got to them first. */
    private void closeRemoved(final TorrentStorage storage)
    {
        if (!storages.remove(storage))
        {
            return;
        }
        storage.flush();
        storage.close();
    }

    /** Stops every agent, drains the pipeline, flushes and closes the files. */
    @Override
    public synchronized void close()
    {
        agents.close();
        pipeline.close();
        for (final TorrentStorage storage : storages)
        {
            if (storages.remove(storage)) // not closed by a removal meanwhile
            {
                storage.flush();
                storage.close();
            }
        }
    }
}
