package io.spate.agent;

import io.spate.dht.DhtLink;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.ratelimit.RateLimits;
import io.spate.verify.BlockEvent;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a torrent session needs of the agent that runs it, and nothing more: the agent's cached clock, a slot on the
 * verify ring for each block received, dialling, and word of closed connections. Output needs nothing here: a
 * connection asks its own {@link io.spate.peer.FlushScheduler}. Narrow so a session can be driven by a test.
 */
interface SessionHost
{
    /** @return the time of the current duty cycle (one clock read per cycle, shared by everything in it). */
    long nowNs();

    /** @return the engine's upload and download limits, shared by every torrent (rate 0: none). */
    RateLimits limits();

    /** @return the DHT node's link: our PORT message, and where peers' PORT messages go (BEP 5). */
    DhtLink dht();

    /** @return the agent's id, which the disk handlers route the piece's verdict back by. */
    int agentId();

    /** Claims the next ring slot for a block (waits for one when the ring is full). */
    long claimBlockSlot();

    BlockEvent blockEvent(long sequence);

    /** Hands the block in the slot to the disk handlers. */
    void publishBlock(long sequence);

    /** @return whether the verify ring has room for {@code blocks} blocks now. */
    boolean hasBlockRoom(int blocks);

    /** Runs {@code command} on the agent's thread in a coming duty cycle; callable from any thread. */
    void post(Runnable command);

    /** Dials these peers for the session (those not connected, banned or already queued), heard of from source. */
    void addPeers(TorrentSession session, List<InetSocketAddress> addresses, PeerSource source);

    /** A peer completed its handshake (a dialled peer that failed before is forgiven). */
    void reached(TorrentSession session, PeerConnection peer);

    /** A connection of the session closed (counted by reason; a queued dial may take its place). */
    void onPeerClosed(TorrentSession session, PeerConnection peer, CloseReason reason);

    /** @return the disk's message for a torrent whose write failed, or null. */
    String writeError(int torrentId);
}
