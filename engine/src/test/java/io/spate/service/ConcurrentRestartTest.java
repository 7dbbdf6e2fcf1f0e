package io.spate.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restart reads the state's torrents and starts them on several threads at once: every torrent comes back exactly
 * once (registered once, its files open once: a torrent started twice would hold them twice), each from its resume
 * data, and the shutdown that stops them all together closes every file.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrentRestartTest
{
    private static final int TORRENTS = 40;
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;

    @Test
    void everyTorrentStartsOnceAndTheShutdownClosesEveryFile() throws Exception
    {
        final Path state = tmp.resolve("state");
        final Path data = tmp.resolve("data");
        final List<String> hashes = new ArrayList<>();
        final List<Path> files = new ArrayList<>();
        try (TestDaemon d = TestDaemon.start(state))
        {
            for (int i = 0; i < TORRENTS; i++)
            {
                final Path file = data.resolve("f" + i + ".bin");
                final byte[] torrent = TestDaemon.torrentOf(file, (1 + i % 4) * PIECE, 100 + i, null);
                files.add(file.toRealPath());
                hashes.add(d.daemon.add(new AddRequest(torrent, null, null, data.toString(), false)).infoHash());
            }
            assertTrue(TestDaemon.await(() -> seeding(d) == TORRENTS, 60), "seeding: " + seeding(d));
        }
        assertEquals(0, openDescriptors(files).size(), "the shutdown closed every data file");

        for (int restart = 0; restart < 2; restart++)
        {
            try (TestDaemon d = TestDaemon.start(state))
            {
                assertTrue(TestDaemon.await(() -> seeding(d) == TORRENTS, 60), "seeding: " + seeding(d));
                final Set<String> registered = new HashSet<>();
                for (final ManagedTorrent torrent : d.daemon.snapshot())
                {
                    assertTrue(registered.add(torrent.infoHash()), torrent.infoHash() + " registered twice");
                    assertEquals(TorrentStarter.FAST_RESUME, torrent.resumeNote(), torrent.infoHash());
                }
                assertEquals(new HashSet<>(hashes), registered);
                final List<Path> open = openDescriptors(files);
                assertEquals(files.size(), open.size(), "one descriptor per data file: " + open);
                assertEquals(new HashSet<>(files), new HashSet<>(open));
            }
            assertEquals(List.of(), openDescriptors(files), "restart " + restart + ": the shutdown closed every file");
        }
    }

    private static long seeding(final TestDaemon d)
    {
        return d.daemon.snapshot().stream().filter(t -> t.state() == ManagedTorrent.State.SEEDING).count();
    }

    /** @return the files among {@code files} this process holds open, once per descriptor. */
    static List<Path> openDescriptors(final List<Path> files) throws IOException
    {
        final Set<Path> wanted = new HashSet<>(files);
        final List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds.toList())
            {
                try
                {
                    final Path target = Files.readSymbolicLink(fd);
                    if (wanted.contains(target))
                    {
                        open.add(target);
                    }
                }
                catch (final IOException ex)
                {
                    // closed since it was listed (the directory stream's own descriptor, among others)
                }
            }
        }
        return open;
    }
}
