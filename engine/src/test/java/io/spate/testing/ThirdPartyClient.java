package io.spate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A third-party BitTorrent client (libtorrent, qBittorrent, Transmission, aria2) run through
 * {@code tools/clients/client.py} as a child process on loopback. Its JSON event lines are collected as they come;
 * an {@code error} event fails any wait at once. {@link #close()} stops it with SIGTERM (through
 * {@link ProcessHandle#destroy()}, which leaves our end of its stdout open) and waits for {@code stopped}, so the
 * driver can end the client it started; only after a bounded wait is it killed.
 */
public final class ThirdPartyClient implements AutoCloseable
{
    /** Debian's python, which has the libtorrent module (a python3 earlier on PATH may not). */
    public static final String PYTHON = "/usr/bin/python3";
    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String client;
    private final String role;
    private final int port;
    private final Process process;
    private final Path log;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** Each line as it came, prefixed with the milliseconds since start: for failure messages and timing. */
    private final List<String> timedLines = new CopyOnWriteArrayList<>();
    private final long startedNs = System.nanoTime();
    private final Thread reader;

    private ThirdPartyClient(final String client, final String role, final int port, final Process process,
        final Path log)
    {
        this.client = client;
        this.role = role;
        this.port = port;
        this.process = process;
        this.log = log;
        this.reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    timedLines.add("+" + (System.nanoTime() - startedNs) / 1_000_000 + "ms " + line);
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // the process ended
            }
        }, client + "-" + role + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code client.py --client CLIENT --role ROLE --torrent T --dir D --port P} with a fresh work dir under
     * {@code workDir} (profiles, client logs, the driver's stderr).
     *
     * @param timeoutSeconds the driver's own --timeout: it stops the client then, whatever happens to this JVM.
     */
    public static ThirdPartyClient start(final String client, final String role, final Path torrent,
        final Path dir, final Path workDir, final int timeoutSeconds) throws IOException
    {
        return start(client, role, torrent, null, dir, workDir, timeoutSeconds);
    }

    /** As above; a leecher given {@code magnet} (not null) starts from it, fetching the metadata from peers. */
    public static ThirdPartyClient start(final String client, final String role, final Path torrent,
        final String magnet, final Path dir, final Path workDir, final int timeoutSeconds) throws IOException
    {
        final int port = freePort();
        Files.createDirectories(workDir);
        final List<String> command = new ArrayList<>(List.of(PYTHON, clientScript().toString(),
            "--client", client, "--role", role, "--torrent", torrent.toString(), "--dir", dir.toString(),
            "--port", Integer.toString(port), "--workdir", workDir.toString(),
            "--timeout", Integer.toString(timeoutSeconds),
            // plain (the default) or default: each client's own policy (they still fall back to plaintext with Spate)
            "--encryption", System.getProperty("interop.encryption", "plain")));
        if (magnet != null)
        {
            command.add("--magnet");
            command.add(magnet);
        }
        final Path log = workDir.resolve(client + "-" + role + ".stderr");
        final Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ThirdPartyClient(client, role, port, process, log);
    }

    /** @return {@code tools/clients/client.py}, found from the working directory upwards (engine/ under Maven). */
    public static Path clientScript()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            final Path script = dir.resolve("tools/clients/client.py");
            if (Files.isRegularFile(script))
            {
                return script;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("tools/clients/client.py not found above " + Path.of("").toAbsolutePath());
    }

    /** @return a TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    public String client()
    {
        return client;
    }

    /** @return the port the client listens on, 127.0.0.1. */
    public int port()
    {
        return port;
    }

    public InetSocketAddress address()
    {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public List<String> lines()
    {
        return List.copyOf(lines);
    }

    /** @return the lines, each prefixed with the milliseconds from start to its arrival. */
    public List<String> timedLines()
    {
        return List.copyOf(timedLines);
    }

    /** Waits for the {@code started} event. */
    public void awaitStarted(final long timeoutMs) throws Exception
    {
        await("started", timeoutMs);
    }

    /** Waits for the {@code complete} event: a leecher holds all data, a seed has checked its data. */
    public void awaitComplete(final long timeoutMs) throws Exception
    {
        await("complete", timeoutMs);
    }

    /**
     * Waits for an event line; fails at once (with the driver's output and stderr) on an {@code error} event or
     * when the process ends without it.
     *
     * @return the line.
     */
    public String await(final String event, final long timeoutMs) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final boolean alive = process.isAlive();
            for (final String line : lines)
            {
                final String name = eventOf(line);
                if (event.equals(name))
                {
                    return line;
                }
                if ("error".equals(name))
                {
                    throw new AssertionError(describe() + " reported an error while we waited for '" + event +
                        "': " + messageOf(line) + diagnostics());
                }
            }
            if (!alive)
            {
                reader.join(2_000);
                if (lines.stream().noneMatch(l -> event.equals(eventOf(l))))
                {
                    throw new AssertionError(describe() + " exited (" + process.exitValue() + ") without '" +
                        event + "'" + diagnostics());
                }
                continue;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(describe() + ": no '" + event + "' within " + timeoutMs + " ms" +
                    diagnostics());
            }
            Thread.sleep(20);
        }
    }

    /** @return the driver's error message, or why it is gone, or null while it runs without error. */
    public String failure()
    {
        for (final String line : lines)
        {
            if ("error".equals(eventOf(line)))
            {
                return describe() + " reported an error: " + messageOf(line);
            }
        }
        return process.isAlive() ? null : describe() + " exited (" + process.exitValue() + ")";
    }

    /** @return the event name of a JSON line, or null. */
    static String eventOf(final String line)
    {
        final Matcher m = EVENT.matcher(line);
        return m.find() ? m.group(1) : null;
    }

    static String messageOf(final String line)
    {
        final Matcher m = MESSAGE.matcher(line);
        return m.find() ? m.group(1) : line;
    }

    private String describe()
    {
        return client + " " + role + " (port " + port + ", pid " + process.pid() + ")";
    }

    /** @return the driver's stdout lines and stderr, for failure messages. */
    public String diagnostics()
    {
        String err;
        try
        {
            err = Files.exists(log) ? Files.readString(log) : "";
        }
        catch (final IOException ex)
        {
            err = ex.toString();
        }
        if (err.length() > 4000)
        {
            err = "..." + err.substring(err.length() - 4000);
        }
        return "\n  stdout: " + timedLines + "\n  stderr: " + err;
    }

    /**
     * Sends SIGTERM (only to the driver we started; it ends its client) and waits up to 20 s for {@code stopped}
     * and the exit; kills the driver and its descendants only if it does not end by then, or at once if this thread
     * is interrupted (a test's {@code @Timeout}), keeping the interrupt.
     */
    @Override
    public void close()
    {
        final List<ProcessHandle> descendants = process.descendants().toList();
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would close our end of its stdout
        boolean ended = false;
        try
        {
            ended = process.waitFor(20, TimeUnit.SECONDS);
            reader.join(5_000); // the last lines ("stopped") may still be in the pipe
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (!ended)
        {
            process.destroyForcibly();
        }
        for (final ProcessHandle child : descendants)
        {
            if (child.isAlive())
            {
                child.destroyForcibly();
            }
        }
    }

    /** @return whether the driver printed {@code stopped} (after {@link #close()}). */
    public boolean stopped()
    {
        return lines.stream().anyMatch(l -> "stopped".equals(eventOf(l)));
    }
}
