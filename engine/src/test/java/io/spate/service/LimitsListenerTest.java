package io.spate.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whoever enforces the rate limits is told them: at once, on each change through the API, and as a torrent starts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsListenerTest
{
    @TempDir
    Path tmp;

    @Test
    void limitsReachTheListener() throws Exception
    {
        final List<String> told = new CopyOnWriteArrayList<>();
        try (TestDaemon d = TestDaemon.start(tmp.resolve("state")))
        {
            d.daemon.limitsListener(new LimitsListener()
            {
                @Override
                public void globalLimits(final Settings settings)
                {
                    told.add("global " + settings.maxUploadRate() + " " + settings.maxDownloadRate());
                }

                @Override
                public void torrentLimits(final ManagedTorrent torrent)
                {
                    told.add("torrent " + torrent.entry().uploadLimit() + " " + torrent.entry().downloadLimit());
                }
            });
            assertEquals(List.of("global 0 0"), told);
            d.send("PUT", "/api/settings", "application/json", "{\"max_download_rate\": 100}".getBytes());
            assertEquals("global 0 100", told.get(1));

            final byte[] torrent = TestDaemon.torrentOf(tmp.resolve("data").resolve("l.bin"), 50_000, 3, null);
            final ManagedTorrent t = d.daemon.add(new AddRequest(torrent, null, null, tmp.resolve("data").toString(),
                false));
            assertTrue(TestDaemon.await(() -> told.size() == 3, 30), told.toString());
            assertEquals("torrent 0 0", told.get(2), "told as it starts");
            d.send("PUT", "/api/torrents/" + t.infoHash() + "/limits", "application/json",
                "{\"upload_limit\": 7}".getBytes());
            assertEquals("torrent 7 0", told.get(3));
        }
    }
}
