package io.spate.service;

import io.spate.metainfo.Metainfo;
import io.spate.tracker.server.HttpTrackerServer;
import io.spate.tracker.server.TrackerConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A tracker and two daemons on loopback: {@link #seed} holds a torrent's data, {@link #leech} has none. The torrent
 * announces to the tracker, so a torrent added to both swarms between them.
 */
final class TwoDaemons implements AutoCloseable
{
    final HttpTrackerServer tracker;
    final TestDaemon seed;
    final TestDaemon leech;
    final byte[] torrent;
    final String infoHash;
    final Path seedData;
    final Path leechData;

    TwoDaemons(final Path tmp, final long size) throws Exception
    {
        tracker = new HttpTrackerServer(TrackerConfig.withInterval(2), List.of(new InetSocketAddress("127.0.0.1", 0)))
            .start();
        TestDaemon s = null;
        try
        {
            seedData = tmp.resolve("seed-data");
            leechData = tmp.resolve("leech-data");
            torrent = TestDaemon.torrentOf(seedData.resolve("movie.bin"), size, 21,
                "http://127.0.0.1:" + tracker.port() + "/announce");
            infoHash = Metainfo.parse(torrent).infoHashHex();
            s = TestDaemon.start(tmp.resolve("seed-state"));
            seed = s;
            leech = TestDaemon.start(tmp.resolve("leech-state"));
        }
        catch (final Exception ex)
        {
            if (s != null)
            {
                s.close();
            }
            tracker.close();
            throw ex;
        }
    }

    /** Adds the torrent to the seed through its API and waits until it seeds. */
    void startSeeding() throws Exception
    {
        final int status = seed.postTorrent("/api/torrents?dir=" + seedData, torrent).statusCode();
        if (status != 201)
        {
            throw new IllegalStateException("seed add: HTTP " + status);
        }
        final ManagedTorrent t = seed.daemon.get(infoHash);
        if (!TestDaemon.await(() -> t.state() == ManagedTorrent.State.SEEDING, 30))
        {
            throw new IllegalStateException("the seed did not start seeding: " + t.state() + " " + t.error());
        }
    }

    @Override
    public void close()
    {
        leech.close();
        seed.close();
        tracker.close();
    }
}
