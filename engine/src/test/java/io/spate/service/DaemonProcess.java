package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code spate daemon --json} as a real process on the test classpath (loopback, ephemeral ports): its API address
 * is read from its {@code started} line; {@link #close} sends SIGTERM and waits for its exit.
 */
final class DaemonProcess implements AutoCloseable
{
    final Process process;
    final String api;
    private final List<String> lines = new ArrayList<>();

    DaemonProcess(final Path state, final String... extra) throws Exception
    {
        this(null, state, extra);
    }

    /** A daemon whose stderr goes to {@code stderr} (for a test that reads what it logged). */
    static DaemonProcess withStderr(final Path stderr, final Path state, final String... extra) throws Exception
    {
        return new DaemonProcess(stderr, state, extra);
    }

    private DaemonProcess(final Path stderr, final Path state, final String... extra) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "io.spate.cli.Main",
            "daemon", "--state", state.toString(), "--api", "127.0.0.1:0", "--port", "0", "--bind", "127.0.0.1",
            "--threads", "1", "--json"));
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command).redirectError(stderr == null ? ProcessBuilder.Redirect.INHERIT :
            ProcessBuilder.Redirect.to(stderr.toFile())).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final CompletableFuture<String> started = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    synchronized (lines)
                    {
                        lines.add(line);
                    }
                    if (line.contains("\"event\":\"started\""))
                    {
                        started.complete(line);
                    }
                }
                started.completeExceptionally(new IOException("the daemon exited before it started: " + lines));
            }
            catch (final IOException ex)
            {
                started.completeExceptionally(ex);
            }
        }, "daemon-stdout");
        reader.setDaemon(true);
        reader.start();
        try
        {
            final JsonNode event = ServiceJson.MAPPER.readTree(started.get(30, TimeUnit.SECONDS));
            final String url = event.path("api").asText();
            api = url.substring("http://".length(), url.length() - 1);
        }
        catch (final Exception ex)
        {
            process.destroyForcibly();
            throw ex;
        }
    }

    List<String> lines()
    {
        synchronized (lines)
        {
            return List.copyOf(lines);
        }
    }

    /** SIGTERM, then the exit code (the process is killed if it has not exited in 30 s). */
    int stop() throws InterruptedException
    {
        process.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of its stdout
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            stop();
        }
    }
}
