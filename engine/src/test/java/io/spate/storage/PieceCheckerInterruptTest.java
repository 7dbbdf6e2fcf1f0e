package io.spate.storage;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A check interrupted midway (a daemon closing while a torrent starts) returns only once its hashing threads have
 * stopped: the caller closes the storage next, and a thread still reading its mappings then crashed the JVM (SIGSEGV).
 */
@Timeout(60)
class PieceCheckerInterruptTest
{
    @TempDir
    Path tmp;

    @Test
    void anInterruptedCheckLeavesNoHashingThreadBehind() throws Exception
    {
        final Path file = TestData.file(tmp.resolve("big.bin"), 32 << 20, 9);
        final Metainfo meta = Metainfo.parse(TorrentBuilder.of(file).pieceLength(16 << 10).build());
        try (TorrentStorage storage = TorrentStorage.open(meta, tmp, false))
        {
            final AtomicLong progress = new AtomicLong();
            final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            final Thread caller = new Thread(() ->
            {
                try
                {
                    PieceChecker.check(storage, 2, progress);
                    outcome.complete(null);
                }
                catch (final Throwable ex)
                {
                    outcome.complete(ex);
                }
            }, "checker-caller");
            caller.start();
            while (progress.get() == 0 && !outcome.isDone())
            {
                Thread.onSpinWait();
            }
            caller.interrupt();
            final Throwable thrown = outcome.get(30, TimeUnit.SECONDS);
            assertTrue(thrown instanceof InterruptedException, "interrupted midway: " + thrown +
                " (bytes checked " + progress.get() + " of " + meta.totalLength() + ")");
            assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() &&
                t.getName().startsWith("spate-check-")), "a hashing thread outlived the check");
        }
    }
}
