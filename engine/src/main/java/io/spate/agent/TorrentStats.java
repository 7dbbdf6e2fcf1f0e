package io.spate.agent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A torrent's figures, written only by its owning agent (release stores) and read by anyone (progress line, JSON
 * events, tests). Counts of payload bytes, not protocol overhead.
 */
public final class TorrentStats
{
    /** Verified bytes we hold (pieces whose SHA-1 matched). */
    public final AtomicLong verifiedBytes = new AtomicLong();
    /**
     * Bytes of the wanted files (priority above 0; the whole torrent, padding included, when every file is wanted):
     * what progress and the tracker's {@code left} measure against.
     */
    public final AtomicLong wantedBytes = new AtomicLong();
    /** Of {@link #wantedBytes}, the bytes in verified pieces: equal to it once the torrent is finished. */
    public final AtomicLong wantedVerifiedBytes = new AtomicLong();
    /** New block payload received (duplicates in endgame excluded). */
    public final AtomicLong downloadedBytes = new AtomicLong();
    /** Of {@link #downloadedBytes}, the payload that came from web seeds (BEP 19). */
    public final AtomicLong webSeedBytes = new AtomicLong();
    /** Block payload sent. */
    public final AtomicLong uploadedBytes = new AtomicLong();
    /** Duplicate or unrequested payload received. */
    public final AtomicLong wastedBytes = new AtomicLong();
    public final AtomicLong hashFailures = new AtomicLong();
    public final AtomicLong peersConnected = new AtomicLong();
    /** Connections closed for breaking the protocol or sending bad data. */
    public final AtomicLong peersBanned = new AtomicLong();
    public final AtomicLong protocolViolations = new AtomicLong();
    public final AtomicLong downloadRate = new AtomicLong();
    public final AtomicLong uploadRate = new AtomicLong();
    /**
     * Payload we had uploaded, as a seed, when the peers connected to us first held every piece between them (one
     * whole copy out in the swarm; -1 until then): what super-seeding is meant to bring down to one copy.
     */
    public final AtomicLong uploadedForFirstCopy = new AtomicLong(-1);
    /** Nanotime when the torrent became complete, or 0. */
    public final AtomicLong completedAtNs = new AtomicLong();
    /** Request round trip: REQUEST sent to its block received. */
    public final io.spate.metrics.LatencyRecorder requestRoundTrip = new io.spate.metrics.LatencyRecorder();
    /** Last block of a piece received to its SHA-1 verdict back on the agent (write + hash pipeline). */
    public final io.spate.metrics.LatencyRecorder pieceVerify = new io.spate.metrics.LatencyRecorder();
}
