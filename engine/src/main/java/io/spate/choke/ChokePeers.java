package io.spate.choke;

/**
 * The choker's view of a torrent's connected peers, filled in by the owning agent (typically a flyweight over its
 * connection arrays, so a rechoke allocates nothing). Index {@code i} runs over {@code [0, count())}; {@code id(i)}
 * is the agent's stable slot index for that peer. Rates are bytes per second over the agent's rate window.
 */
public interface ChokePeers
{
    int count();

    /** The agent's slot index for peer {@code i}; non-negative and stable while the peer is connected. */
    int id(int i);

    /** The peer is interested in us (wants to download). */
    boolean interested(int i);

    /** Payload bytes per second the peer sends us. */
    long downloadRate(int i);

    /** Payload bytes per second we send the peer. */
    long uploadRate(int i);

    /** Payload bytes we have sent the peer over the connection's life. */
    long uploaded(int i);

    /** We want pieces the peer has (we are interested in it): it could pay us back. */
    boolean wanted(int i);

    /** The peer has sent us nothing for a while although we requested blocks from it. */
    boolean snubbed(int i);
}
