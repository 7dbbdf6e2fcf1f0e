package io.spate.agent;

import io.spate.Context;
import io.spate.ThreadingMode;
import io.spate.metrics.CloseCounters;
import io.spate.storage.TorrentStorage;
import io.spate.ratelimit.RateLimits;
import io.spate.verify.VerifyPipeline;
import io.spate.webseed.WebSeedClient;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's network agents and their runners: builds one agent per thread ({@link ThreadingMode#DEDICATED}) or
 * runs them all on one ({@link ThreadingMode#SHARED}), owns the listening socket, and assigns torrents to agents
 * round-robin. An agent with a thread of its own idles inside {@code Selector.select}, so it never spins.
 */
public final class NetworkAgents implements AutoCloseable
{
    private final List<NetworkAgent> agents = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final AgentDirectory directory = new AgentDirectory();
    private final CloseCounters closeCounters = new CloseCounters();
    private final VerifyPipeline pipeline;
    private final byte[] peerId;
    private final ServerSocketChannel listener;
    private final AtomicInteger nextAgent = new AtomicInteger();
    private final SessionOptions options;
    /** The engine's upload and download limits, shared by every agent; their rates change live. */
    private final RateLimits limits;
    /** HTTP for every torrent's web seeds (BEP 19): built on first use, its one thread ends at close. */
    private final WebSeedClient webSeedClient = new WebSeedClient();
    /**
     * Where removed torrents wait for the disk and release their files, and where completions are handed to the
     * control path ({@link #completeOffAgent}): threads reused. The default async pool of
     * CompletableFuture on 2 cores is a new thread per task, and the agents spent 87 % of a 10,000-torrent shutdown
     * starting threads (async-profiler, perf-results/service/seedbox.md).
     */
    private final ExecutorService drains = Executors.newCachedThreadPool(runnable ->
    {
        final Thread thread = new Thread(runnable, "spate-drain");
        thread.setDaemon(true);
        return thread;
    });
    /** An agent takes a new torrent within a duty cycle; this bound only catches one that stopped answering. */
    private volatile long addTimeoutMs = 10_000;
    /**
     * How long {@link #close} waits for the agents' threads to end, all of them together: an agent stops within a duty
     * cycle, so this only catches one that stopped answering (Agrona's {@code AgentRunner.close()} would wait for it
     * for ever, interrupting it every 5 s, and the daemon's shutdown with it).
     */
    private volatile long closeTimeoutMs = 10_000;
    private final ErrorHandler errorHandler;

    public NetworkAgents(final Context ctx, final VerifyPipeline pipeline, final ErrorHandler errorHandler)
        throws IOException
    {
        this.pipeline = pipeline;
        this.errorHandler = errorHandler;
        this.peerId = ctx.peerId();
        this.options = SessionOptions.of(ctx);
        this.limits = RateLimits.of(ctx.maxUploadRate(), ctx.maxDownloadRate());
        this.listener = ServerSocketChannel.open();
        listener.bind(ctx.listenSocketAddress(), 128);
        final int listenPort = ((InetSocketAddress)listener.getLocalAddress()).getPort();
        final AtomicLong connectionIds = new AtomicLong();
        final SystemNanoClock clock = SystemNanoClock.INSTANCE;
        for (int i = 0; i < ctx.threads(); i++)
        {
            agents.add(new NetworkAgent(i, clock, pipeline, peerId, listenPort, connectionIds,
                closeCounters, directory, limits, ctx.dhtLink(), errorHandler));
        }
        agents.get(0).listen(listener);
        if (agents.size() == 1)
        {
            runners.add(new AgentRunner(new NoOpIdleStrategy(), errorHandler, null, agents.get(0)));
        }
        else if (ctx.threadingMode() == ThreadingMode.SHARED)
        {
            // one thread, several selectors: no agent may block in select, so the thread backs off to 1 ms parks
            // when idle (about a thousand wake-ups a second: the price of sharing; one agent alone blocks instead)
            agents.forEach(NetworkAgent::neverBlock);
            runners.add(new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 1_000_000), errorHandler, null,
                new CompositeAgent(agents)));
        }
        else
        {
            for (final NetworkAgent agent : agents)
            {
                runners.add(new AgentRunner(new NoOpIdleStrategy(), errorHandler, null, agent));
            }
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner);
        }
    }

    public InetSocketAddress listenAddress() throws IOException
    {
        return (InetSocketAddress)listener.getLocalAddress();
    }

    public byte[] peerId()
    {
        return peerId.clone();
    }

    public CloseCounters closeCounters()
    {
        return closeCounters;
    }

    /** The engine's upload limit (bytes/s, 0 = none): set its rate from any thread. */
    public RateLimits limits()
    {
        return limits;
    }

    /**
     * Adds a torrent whose storage is open and checked.
     *
     * @param verified pieces already on disk and matching their hashes.
     * @param release  run once the torrent is removed and the pipeline holds none of its blocks: closes its files.
     */
    public TorrentHandle add(final TorrentStorage storage, final BitSet verified, final TorrentListener listener,
        final Runnable release)
    {
        return add(storage, verified, null, listener, release);
    }

    /** As {@link #add(TorrentStorage, BitSet, TorrentListener, Runnable)}, with the files' priorities (null: all). */
    public TorrentHandle add(final TorrentStorage storage, final BitSet verified,
        final io.spate.metainfo.FilePriorities priorities, final TorrentListener listener, final Runnable release)
    {
        final NetworkAgent agent = agents.get(Math.floorMod(nextAgent.getAndIncrement(), agents.size()));
        final int torrentId = pipeline.torrents().addTorrent(storage);
        final TorrentStats stats = new TorrentStats();
        final CompletableFuture<Void> completion = new CompletableFuture<>();
        final CompletableFuture<String> failure = new CompletableFuture<>();
        final TorrentListener chained = new TorrentListener()
        {
            @Override
            public void onComplete()
            {
                completeOffAgent(completion);
                listener.onComplete();
            }

            @Override
            public void onError(final String message)
            {
                failure.complete(message);
                listener.onError(message);
            }

            @Override
            public void onPeerClosed(final InetSocketAddress remote, final long downloaded, final long uploaded,
                final String reason)
            {
                listener.onPeerClosed(remote, downloaded, uploaded, reason);
            }

            @Override
            public void onWarning(final String message)
            {
                listener.onWarning(message);
            }
        };
        final TorrentSession session = new TorrentSession(agent, torrentId, storage, verified, peerId, stats, chained,
            agent.extensionHandshakes(), options, System.nanoTime() ^ torrentId, priorities);
        if (session.isFinished())
        {
            completion.complete(null);
        }
        final CompletableFuture<Void> added = new CompletableFuture<>();
        agent.offer(() ->
        {
            if (added.complete(null)) // not when the caller gave up waiting: nobody would ever remove it
            {
                agent.addSession(session);
            }
        });
        awaitAdded(agent, added, storage.metainfo().name(), torrentId);
        final WebSeedClient webSeeds = storage.metainfo().urlList().isEmpty() ? null : webSeedClient;
        if (webSeeds != null && !session.isFinished())
        {
            webSeeds.prepare();
            agent.offer(() -> session.startWebSeeds(webSeeds));
        }
        directory.put(storage.metainfo().infoHash(), new AgentDirectory.Entry(agent, session));
        return new TorrentHandle(agent, session, stats, completion, failure, webSeeds, () ->
        {
            pipeline.torrents().removeTorrent(torrentId);
            release.run();
        }, drains);
    }

    /**
     * Completes a torrent's completion future on a control thread: its dependents (the command line's complete event
     * takes two latency histogram snapshots, ~220 KB each, the tracker's announce) must not run on the agent's thread,
     * which at that moment is serving the swarm (bench/LatencySnapshotBenchmark: perf-results/memory/SUMMARY.md).
     */
    private void completeOffAgent(final CompletableFuture<Void> completion)
    {
        try
        {
            drains.execute(() -> completion.complete(null));
        }
        catch (final RejectedExecutionException ex)
        {
            completion.complete(null); // closing: no control thread left, and no swarm to serve
        }
    }

    /**
     * Waits for the agent to take the torrent, at most {@link #addTimeoutMs}: an agent that does not answer (its
     * thread died or hangs) fails the add with a message naming it, and the torrent is not added later.
     */
    private void awaitAdded(final NetworkAgent agent, final CompletableFuture<Void> added, final String name,
        final int torrentId)
    {
        try
        {
            added.get(addTimeoutMs, TimeUnit.MILLISECONDS);
            return;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // not answered in time: handled below
        }
        if (added.completeExceptionally(new CancellationException("abandoned")))
        {
            pipeline.torrents().removeTorrent(torrentId);
            throw new IllegalStateException(name + ": network agent " + agent.roleName() + " did not take the " +
                "torrent within " + addTimeoutMs + " ms (its thread " + (agent.stopped() ? "has stopped" :
                "is stuck") + ")");
        }
        // the agent took it just as the wait ended: it runs
    }

    /** @return agent {@code i} (tests reach it to post commands). */
    NetworkAgent agent(final int i)
    {
        return agents.get(i);
    }

    /** Sets how long {@link #add} waits for the agent (tests shorten it). */
    void addTimeoutMs(final long timeoutMs)
    {
        this.addTimeoutMs = timeoutMs;
    }

    /** Sets how long {@link #close} waits for the agents' threads, all together (tests shorten it). */
    void closeTimeoutMs(final long timeoutMs)
    {
        this.closeTimeoutMs = timeoutMs;
    }

    /**
     * Stops the agents, waiting for their threads at most {@link #closeTimeoutMs} in all; an agent whose thread has not
     * ended by then is named to the error handler and left running (its connections stay open until the process
     * exits), so that a stuck agent cannot hang the caller.
     */
    @Override
    public void close()
    {
        final long timeoutMs = closeTimeoutMs;
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final AgentRunner runner : runners)
        {
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            try
            {
                // Agrona retries for ever: its retry hook is where the wait is cut off
                runner.close((int)Math.max(1, Math.min(1_000, leftMs)), thread ->
                {
                    if (System.nanoTime() - deadlineNs >= 0)
                    {
                        throw new AgentStuckException();
                    }
                });
            }
            catch (final AgentStuckException ex)
            {
                errorHandler.onError(new IllegalStateException("network agent " + runner.agent().roleName() +
                    " did not stop within " + timeoutMs + " ms (its thread is stuck): left running"));
            }
        }
        webSeedClient.close();
        drains.shutdown(); // removals under way still release their files
    }

    /** Ends the wait for an agent's thread at close once the bound has passed. */
    private static final class AgentStuckException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        AgentStuckException()
        {
            super(null, null, false, false);
        }
    }
}
