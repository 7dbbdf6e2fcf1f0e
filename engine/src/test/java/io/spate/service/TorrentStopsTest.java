package io.spate.service;

import io.spate.Context;
import io.spate.Engine;
import io.spate.agent.AgentStall;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentListener;
import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping many running torrents together, as the daemon's shutdown does: each torrent's resume data is written with
 * the verified set its agent held (and the files' stamps, so the next start trusts it), every torrent is removed
 * from its agent and its files closed, and nothing is warned of.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TorrentStopsTest
{
    private static final int TORRENTS = 30;
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;

    @Test
    void stoppingTogetherWritesEveryTorrentsResumeDataAndClosesItsFiles() throws Exception
    {
        final StateDir state = new StateDir(tmp.resolve("state"));
        final Path data = tmp.resolve("data");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<TorrentStops.Detached> running = new ArrayList<>();
        final List<Path> files = new ArrayList<>();
        final List<BitSet> known = new ArrayList<>();
        try (Engine engine = Engine.launch(new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0)
            .threads(2)))
        {
            for (int i = 0; i < TORRENTS; i++)
            {
                final Path file = TestData.file(data.resolve("t" + i + ".bin"), 3 * PIECE, 300 + i);
                files.add(file.toRealPath());
                final Metainfo metainfo = Metainfo.parse(TorrentBuilder.of(file).pieceLength(PIECE).build());
                // the engine is told of some of the pieces only: a leecher part way, whose set the stop must save
                final BitSet verified = new BitSet();
                verified.set(i % 3);
                if (i % 2 == 0)
                {
                    verified.set(2);
                }
                known.add(verified);
                final TorrentHandle handle = engine.addTorrent(metainfo, data, verified, TorrentListener.NONE);
                final ManagedTorrent torrent = new ManagedTorrent(new TorrentEntry(metainfo.infoHashHex(), data,
                    false, 0, 0, 0, null), metainfo);
                torrent.running(handle, null, null);
                running.add(new TorrentStops.Detached(torrent, handle));
            }
            assertEquals(TORRENTS, ConcurrentRestartTest.openDescriptors(files).size());

            TorrentStops.stopAll(running, new ResumeSaver(state, warnings::add), warnings::add, 30_000);

            assertEquals(List.of(), warnings);
            assertEquals(List.of(), ConcurrentRestartTest.openDescriptors(files), "every torrent's files closed");
            for (int i = 0; i < TORRENTS; i++)
            {
                final Metainfo metainfo = running.get(i).torrent().metainfo();
                final ResumeData resume = state.loadResume(metainfo.infoHashHex());
                assertNotNull(resume, "torrent " + i + " has resume data");
                assertEquals(known.get(i), resume.verified(), "torrent " + i);
                final ResumeCheck.Outcome stamps = ResumeCheck.checkFiles(metainfo, data, resume, null);
                assertNull(stamps.reason(), "torrent " + i + ": the next start trusts it");
            }
        }
    }

    @Test
    void anAgentThatStopsAnsweringCostsTheStopOneSharedBoundAndTheOtherAgentsTorrentsAreSaved() throws Exception
    {
        final StateDir state = new StateDir(tmp.resolve("state"));
        final Path data = tmp.resolve("data");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<TorrentStops.Detached> running = new ArrayList<>();
        try (Engine engine = Engine.launch(new Context().bindAddress(InetAddress.getLoopbackAddress()).port(0)
            .threads(2)))
        {
            for (int i = 0; i < TORRENTS; i++)
            {
                final Path file = TestData.file(data.resolve("t" + i + ".bin"), 3 * PIECE, 300 + i);
                final Metainfo metainfo = Metainfo.parse(TorrentBuilder.of(file).pieceLength(PIECE).build());
                final BitSet verified = new BitSet();
                verified.set(i % 3);
                final TorrentHandle handle = engine.addTorrent(metainfo, data, verified, TorrentListener.NONE);
                final ManagedTorrent torrent = new ManagedTorrent(new TorrentEntry(metainfo.infoHashHex(), data,
                    false, 0, 0, 0, null), metainfo);
                torrent.running(handle, null, null);
                running.add(new TorrentStops.Detached(torrent, handle));
            }
            // torrents go to the two agents in turn: the even ones' agent stops answering
            try (AgentStall stall = AgentStall.of(running.get(0).handle()))
            {
                final long bound = 500;
                final long start = System.nanoTime();
                TorrentStops.stopAll(running, new ResumeSaver(state, warnings::add), warnings::add, bound);
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // a bound per torrent would take 15 x 500 ms at least (twice that with one per request)
                assertTrue(tookMs < 5_000, "one bound for all the stuck torrents, not one each: " + tookMs + " ms");

                final List<String> expected = new ArrayList<>();
                for (int i = 0; i < TORRENTS; i += 2)
                {
                    expected.add(running.get(i).torrent().infoHash() + ": stop: its network agent did not answer " +
                        "within 500 ms; its resume data is left as it was");
                }
                assertEquals(expected, warnings);
                for (int i = 0; i < TORRENTS; i++)
                {
                    final ResumeData resume = state.loadResume(running.get(i).torrent().metainfo().infoHashHex());
                    if (i % 2 == 0)
                    {
                        assertNull(resume, "torrent " + i + ": nothing written for it");
                    }
                    else
                    {
                        assertNotNull(resume, "torrent " + i + " on the agent that answers has resume data");
                        final BitSet verified = new BitSet();
                        verified.set(i % 3);
                        assertEquals(verified, resume.verified(), "torrent " + i);
                    }
                }
            }
        }
    }
}
