package io.spate.agent;

/**
 * One connection of a torrent as the API shows it, copied on the owning agent's thread (so it can be read anywhere).
 *
 * @param address          the peer's IP address.
 * @param port             the port of the connection's far end.
 * @param client           the client the peer names in its extension handshake, else decoded from its peer id;
 *                         null before its handshake.
 * @param outgoing         we dialled it (else it dialled us).
 * @param source           where we heard of it; {@link PeerSource#INCOMING} when it dialled us, null when not
 *                         recorded.
 * @param state            connecting, handshaking or active.
 * @param amChoking        we refuse its requests.
 * @param amInterested     we want pieces it has.
 * @param peerChoking      it refuses our requests.
 * @param peerInterested   it wants pieces we have.
 * @param snubbed          it sent no block for long while our requests waited.
 * @param seed             it has every piece.
 * @param suspect          it sent a block of a piece that failed its check and awaits the smart-ban verdict (the
 *                         counterpart of libtorrent's parole).
 * @param banned           its address or peer id is banned (the connection is closing).
 * @param superSeedPiece   the one piece we offer it while super-seeding (BEP 16), or -1.
 * @param downloadRate     bytes/s it sends us, as of the last once-a-second sample.
 * @param uploadRate       bytes/s we send it.
 * @param downloaded       payload bytes received from it.
 * @param uploaded         payload bytes sent to it.
 * @param piecesHave       pieces its bitfield and HAVEs say it has.
 * @param pieceCount       the torrent's pieces.
 * @param requestsInFlight our requests it has not answered yet.
 * @param requestsQueued   its requests we have queued and not yet served.
 */
public record PeerSnapshot(String address, int port, String client, boolean outgoing, PeerSource source,
    String state, boolean amChoking, boolean amInterested, boolean peerChoking, boolean peerInterested,
    boolean snubbed, boolean seed, boolean suspect, boolean banned, int superSeedPiece, long downloadRate,
    long uploadRate, long downloaded, long uploaded, int piecesHave, int pieceCount, int requestsInFlight,
    int requestsQueued)
{
    /** @return the share of the pieces it has, 0..1. */
    public double progress()
    {
        return pieceCount == 0 ? 0 : (double)piecesHave / pieceCount;
    }
}
