package io.spate.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The selector provider Main names for the JDK, in fresh JVMs (the provider is chosen once per JVM). */
class PlatformSelectorTest
{
    @Test
    void linuxGetsTheEpollProviderByNameAndItsSocketsWork() throws Exception
    {
        final String out = probe();
        if ("Linux".equals(System.getProperty("os.name")))
        {
            assertEquals(String.join(" ", PlatformSelector.LINUX_PROVIDER, PlatformSelector.LINUX_PROVIDER,
                PlatformSelector.LINUX_PROVIDER), out);
        }
        else
        {
            assertTrue(out.startsWith("null "), out); // elsewhere the JDK chooses as before
        }
    }

    @Test
    void aProviderTheUserNamedIsKept() throws Exception
    {
        final String poll = "sun.nio.ch.PollSelectorProvider"; // the JDK's other provider on Linux and macOS
        assertEquals(String.join(" ", poll, poll, poll), probe("-D" + PlatformSelector.PROPERTY + "=" + poll));
    }

    private static String probe(final String... jvmOptions) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlatformSelectorProbe.class.getName()));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe did not exit");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
