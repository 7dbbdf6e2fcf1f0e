package io.spate.dht;

/**
 * What a {@link DhtNode} counts: packets dropped by reason, queries answered and sent, lookups. Read from any thread
 * through {@link DhtCounters}; a hostile source shows up here rather than in the routing table.
 */
public enum DhtCounter
{
    /** Datagrams received, before any check. */
    PACKETS_RECEIVED,
    /** Not bencode, or bencode the strict decoder refused (bad syntax, trailing bytes, duplicate keys). */
    DROPPED_MALFORMED,
    /** Larger than a KRPC message may be, or more elements than the decoder's limits allow. */
    DROPPED_OVERSIZED,
    /** Valid bencode that is not a valid KRPC message: missing keys, wrong types, wrong lengths. */
    DROPPED_INVALID,
    /** A response or error whose transaction id matches no query we sent to that address. */
    DROPPED_UNSOLICITED,
    /** Queries over the per-source rate limit. */
    DROPPED_RATE_LIMITED,
    /** Queries for a method we do not serve (answered with error 204). */
    UNKNOWN_METHOD,
    /** announce_peer with a token we did not give that address (answered with error 203). */
    BAD_TOKEN,
    /** Queries answered. */
    QUERIES_ANSWERED,
    /** Queries we sent. */
    QUERIES_SENT,
    /** Responses matched to a query we sent. */
    RESPONSES_RECEIVED,
    /** Error messages matched to a query we sent. */
    ERRORS_RECEIVED,
    /** Queries we sent that got no answer in time. */
    QUERY_TIMEOUTS,
    /**
     * Answers that came after their query timed out (from the address queried, among the last 256 timed out): the
     * node is alive and enters or stays in the table, but the lookup has moved on. Not counted as unsolicited.
     */
    LATE_ANSWERS,
    /** Queries not sent because too many were outstanding. */
    SEND_REFUSED,
    /** Peers stored by announce_peer. */
    PEERS_STORED,
    /** Lookups (find_node, get_peers) finished. */
    LOOKUPS_DONE,
    /** Datagrams the socket refused (full buffer) or failed to send. */
    SEND_FAILED
}
