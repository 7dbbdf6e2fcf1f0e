package io.spate.service;

import io.spate.agent.TorrentHandle;
import io.spate.dht.DhtPeerSource;
import io.spate.metainfo.Metainfo;
import io.spate.tracker.client.TorrentAnnouncer;

/**
 * One torrent of the daemon and where it stands: its entry in the state dir, its metadata (null while a magnet link
 * awaits it), and while it runs its engine handle, announcer and DHT peer source. Transitions happen under the daemon's lock; the
 * fields are volatile so the API and the metrics read them from any thread.
 */
public final class ManagedTorrent
{
    /** What the torrent is doing, as the API reports it. */
    public enum State
    {
        /** A magnet link whose info dictionary is being fetched from peers. */
        METADATA,
        /** Its resume data or its files are being checked before it starts. */
        CHECKING,
        DOWNLOADING,
        SEEDING,
        PAUSED,
        /** Stopped on an error (see {@link #error()}); resume retries. */
        ERROR
    }

    private final String infoHash;
    private volatile TorrentEntry entry;
    private volatile Metainfo metainfo;
    private volatile TorrentHandle handle;
    private volatile TorrentAnnouncer announcer;
    private volatile DhtPeerSource dhtPeers;
    private volatile boolean starting;
    private volatile String error;
    private volatile int rehashedPieces;
    private volatile int spotCheckedPieces;
    private volatile String resumeNote = "new";
    /** Bumped by each pause and removal, so a start that was under way when one came stops itself. */
    private volatile long generation;
    /** Verified bytes as last saved or loaded: what a stopped torrent reports. */
    private volatile long knownVerifiedBytes;
    /** Of those, the bytes in wanted files (all of them unless files are skipped). */
    private volatile long knownWantedVerifiedBytes;
    /** The resume data read at the daemon's start, until its first start takes it; null after, or when none. */
    private ResumeData restoredResume;
    /** Verified bytes of the resume data on disk (written, or trusted at a fast resume); -1 when not known. */
    volatile long savedVerifiedBytes = -1;

    ManagedTorrent(final TorrentEntry entry, final Metainfo metainfo)
    {
        this.infoHash = entry.infoHash();
        this.entry = entry;
        this.metainfo = metainfo;
    }

    public String infoHash()
    {
        return infoHash;
    }

    public TorrentEntry entry()
    {
        return entry;
    }

    /** @return the metadata, or null while a magnet link awaits it. */
    public Metainfo metainfo()
    {
        return metainfo;
    }

    /** @return the running torrent, or null when paused, starting, failed or awaiting metadata. */
    public TorrentHandle handle()
    {
        return handle;
    }

    public TorrentAnnouncer announcer()
    {
        return announcer;
    }

    /** @return its lookups and announces on the DHT while it runs, or null (no DHT, or a private torrent). */
    public DhtPeerSource dhtPeers()
    {
        return dhtPeers;
    }

    public String error()
    {
        return error;
    }

    /** @return pieces hashed at the last start: the spot checks after a fast resume, every piece after a full one. */
    public int rehashedPieces()
    {
        return rehashedPieces;
    }

    public int spotCheckedPieces()
    {
        return spotCheckedPieces;
    }

    /** @return how the last start went: "fast resume", "full check: REASON", or "new". */
    public String resumeNote()
    {
        return resumeNote;
    }

    public State state()
    {
        final TorrentHandle running = handle;
        if (running != null)
        {
            return running.isFinished() ? State.SEEDING : State.DOWNLOADING;
        }
        if (error != null)
        {
            return State.ERROR;
        }
        if (entry.paused())
        {
            return State.PAUSED;
        }
        return metainfo == null ? State.METADATA : State.CHECKING;
    }

    /** @return bytes verified: live while running, else as of the last resume data. */
    public long verifiedBytes()
    {
        final TorrentHandle running = handle;
        return running == null ? knownVerifiedBytes : running.stats().verifiedBytes.get();
    }

    /** @return verified bytes of the wanted files: live while running, else as of the last resume data. */
    public long wantedVerifiedBytes()
    {
        final TorrentHandle running = handle;
        return running == null ? knownWantedVerifiedBytes : running.stats().wantedVerifiedBytes.get();
    }

    /** Records the verified bytes of a verified set (resume data written or loaded). */
    void knownVerified(final java.util.BitSet verified)
    {
        final Metainfo m = metainfo;
        if (m == null)
        {
            return;
        }
        knownVerifiedBytes = verifiedBytes(m, verified);
        final io.spate.metainfo.FilePriorities priorities =
            entry.filePriorities(m) != null && entry.filePriorities(m).anySkipped(m) ? entry.filePriorities(m) : null;
        if (priorities == null)
        {
            knownWantedVerifiedBytes = knownVerifiedBytes;
            return;
        }
        long wanted = 0;
        for (int piece = verified.nextSetBit(0); piece >= 0; piece = verified.nextSetBit(piece + 1))
        {
            wanted += priorities.wantedBytesIn(m, piece);
        }
        knownWantedVerifiedBytes = wanted;
    }

    /** @return the bytes of the pieces set in {@code verified}. */
    static long verifiedBytes(final Metainfo metainfo, final java.util.BitSet verified)
    {
        long bytes = 0;
        for (int piece = verified.nextSetBit(0); piece >= 0; piece = verified.nextSetBit(piece + 1))
        {
            bytes += metainfo.pieceSize(piece);
        }
        return bytes;
    }

    void entry(final TorrentEntry entry)
    {
        this.entry = entry;
    }

    void metainfo(final Metainfo metainfo)
    {
        this.metainfo = metainfo;
    }

    void running(final TorrentHandle handle, final TorrentAnnouncer announcer, final DhtPeerSource dhtPeers)
    {
        this.handle = handle;
        this.announcer = announcer;
        this.dhtPeers = dhtPeers;
        this.error = null;
    }

    void error(final String error)
    {
        this.error = error;
    }

    synchronized void restoredResume(final ResumeData resume)
    {
        restoredResume = resume;
    }

    /** @return the resume data read at the daemon's start (once: later starts read the state dir's newer one). */
    synchronized ResumeData takeRestoredResume()
    {
        final ResumeData resume = restoredResume;
        restoredResume = null;
        return resume;
    }

    void resumed(final int rehashed, final int spotChecked, final String note)
    {
        this.rehashedPieces = rehashed;
        this.spotCheckedPieces = spotChecked;
        this.resumeNote = note;
    }

    boolean starting()
    {
        return starting;
    }

    void starting(final boolean starting)
    {
        this.starting = starting;
    }

    long generation()
    {
        return generation;
    }

    void nextGeneration()
    {
        generation++;
    }
}
