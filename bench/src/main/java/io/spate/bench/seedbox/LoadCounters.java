package io.spate.bench.seedbox;

import org.HdrHistogram.Histogram;

/** What {@link PeerLoad}'s connections counted; written by the load's one thread only. */
final class LoadCounters
{
    /** Latencies in microseconds, up to an hour, 3 significant digits. */
    private static final long MAX_US = 3_600_000_000L;

    long attempted;
    long connected;
    long handshaken;
    long served;
    long open;
    long peakOpen;
    long requests;
    long blocks;
    long piecesVerified;
    long badPieces;
    long unrequestedBlocks;
    long chokes;
    long incompleteSeeds;
    long requestsFromSeed;
    long bytesReceived;
    final Histogram connectUs = new Histogram(MAX_US, 3);
    final Histogram handshakeUs = new Histogram(MAX_US, 3);
    /** Request sent to its block received. */
    final Histogram rttUs = new Histogram(MAX_US, 3);
    /** Connect started to the last piece of the last pass verified. */
    final Histogram servedMs = new Histogram(MAX_US, 3);
}
