package io.spate.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@code java -jar engine.jar ...} process whose stdout lines are collected as they come. */
final class SpateProcess implements AutoCloseable
{
    static final Path JAR = Path.of("target", "engine.jar").toAbsolutePath();

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path stderr;
    private final Thread reader;

    private SpateProcess(final Process process, final Path stderr)
    {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // process ended
            }
        }, "stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static SpateProcess start(final Path workDir, final String name, final String... args) throws IOException
    {
        if (!Files.isRegularFile(JAR))
        {
            throw new IllegalStateException(JAR + " is missing: system tests run after `mvn package` (mvn verify)");
        }
        final List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        final Path err = workDir.resolve(name + ".stderr");
        final Process process = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectError(err.toFile()).start();
        return new SpateProcess(process, err);
    }

    /**
     * {@code tools/spate ARGS} of this checkout with {@code env} added (the launcher as README's commands run it: the
     * start-up archive, and for seed and leech the JVM options it picks), on the JVM running the tests.
     */
    static SpateProcess launch(final Path workDir, final String name, final java.util.Map<String, String> env,
        final String... args) throws IOException
    {
        final Path launcher = Path.of("..", "tools", "spate").toAbsolutePath().normalize();
        final List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        final Path err = workDir.resolve(name + ".stderr");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectError(err.toFile());
        builder.environment().put("SPATE_JAVA", javaBinary());
        builder.environment().put("SPATE_JAR", JAR.toString());
        builder.environment().putAll(env);
        return new SpateProcess(builder.start(), err);
    }

    static String javaBinary()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for a stdout line matching {@code test}; fails with the output so far when it does not come. */
    String await(final Predicate<String> test, final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            for (final String line : lines)
            {
                if (test.test(line))
                {
                    return line;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(test))
            {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching line within " + timeoutMs + " ms; stdout: " + lines + "; stderr: " +
            stderrText());
    }

    String stderrText() throws IOException
    {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    List<String> lines()
    {
        return lines;
    }

    /** Sends SIGTERM and waits for the exit code. */
    int terminate(final long timeoutMs) throws InterruptedException
    {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        reader.join(5_000); // the last lines (the stopped event) may still be in the pipe
        return process.exitValue();
    }

    int waitFor(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }
}
