package io.spate.dht;

import io.spate.bencode.BencodeWriter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries we send and the answers we wait for. Each query gets a 2-byte transaction id (a counter, skipping ids
 * still outstanding); a response or error is accepted only from the address the query went to, else it is unsolicited.
 * At most {@code maxOutstanding} queries wait at once (more are refused and counted), each for the timeout the
 * {@link RttEstimator} gives at sending. Answers and timeouts keep the routing table's view of each node current
 * before the query's own callback runs. Owned by the DHT thread.
 */
final class Rpc
{
    /** What a query's sender hears back; exactly one method is called, once. */
    interface Callback
    {
        void onResponse(KrpcMessage message, Contact from);

        /** No answer in time, or an error message. */
        void onFailure();
    }

    /** A callback that ignores the outcome (a ping whose only purpose is the routing table's update). */
    static final Callback IGNORE = new Callback()
    {
        @Override
        public void onResponse(final KrpcMessage message, final Contact from)
        {
        }

        @Override
        public void onFailure()
        {
        }
    };

    private static final int MAX_TIMED_OUT = 256;

    /** One query in flight. */
    private record Outstanding(int tid, InetSocketAddress to, long sentNs, long deadlineNs, Callback callback)
    {
    }

    private final DatagramChannel channel;
    private final NodeId self;
    private final RoutingTable table;
    private final DhtCounters counters;
    private final RttEstimator rtt;
    private final int maxOutstanding;
    private final KrpcEncoder encoder = new KrpcEncoder();
    private final Map<Integer, Outstanding> outstanding = new HashMap<>();
    /** Transaction ids of the last queries that timed out, and where they went: their answers are late, not forged. */
    private final Map<Integer, InetSocketAddress> timedOut = new LinkedHashMap<>(64, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<Integer, InetSocketAddress> eldest)
        {
            return size() > MAX_TIMED_OUT;
        }
    };
    private final byte[] tid = new byte[2];
    private int nextTid;

    Rpc(final DatagramChannel channel, final NodeId self, final RoutingTable table, final DhtCounters counters,
        final RttEstimator rtt, final int maxOutstanding, final int firstTid)
    {
        this.channel = channel;
        this.self = self;
        this.table = table;
        this.counters = counters;
        this.rtt = rtt;
        this.maxOutstanding = maxOutstanding;
        this.nextTid = firstTid & 0xFFFF;
    }

    KrpcEncoder encoder()
    {
        return encoder;
    }

    int outstanding()
    {
        return outstanding.size();
    }

    boolean ping(final InetSocketAddress to, final Callback callback, final long nowNs)
    {
        return reserve() && send(encoder.ping(tid, self), to, callback, nowNs);
    }

    /** A find_node or get_peers query. */
    boolean lookup(final InetSocketAddress to, final String method, final NodeId target, final Callback callback,
        final long nowNs)
    {
        return reserve() && send(encoder.lookup(tid, self, method, target), to, callback, nowNs);
    }

    boolean announcePeer(final InetSocketAddress to, final NodeId infoHash, final int port, final byte[] token,
        final Callback callback, final long nowNs)
    {
        return reserve() && send(encoder.announcePeer(tid, self, infoHash, port, token), to, callback, nowNs);
    }

    /** Sends a reply (or any message not awaiting an answer). */
    void reply(final BencodeWriter message, final InetSocketAddress to)
    {
        transmit(message, to);
    }

    /**
     * Matches a response or error to its query.
     *
     * @return false when it answers nothing we sent to {@code from} (the caller counts it unsolicited).
     */
    boolean onAnswer(final KrpcMessage message, final InetSocketAddress from, final long nowNs)
    {
        if (message.transactionId().length != 2)
        {
            return false;
        }
        final int key = ((message.transactionId()[0] & 0xFF) << 8) | (message.transactionId()[1] & 0xFF);
        final Outstanding query = outstanding.get(key);
        if (query == null || !query.to.equals(from))
        {
            if (query == null && from.equals(timedOut.get(key)))
            {
                timedOut.remove(key);
                counters.increment(DhtCounter.LATE_ANSWERS);
                if (message.kind() == KrpcMessage.Kind.RESPONSE)
                {
                    table.onResponse(new Contact(message.id(), from), nowNs);
                }
                return true;
            }
            return false;
        }
        outstanding.remove(key);
        if (message.kind() == KrpcMessage.Kind.ERROR)
        {
            counters.increment(DhtCounter.ERRORS_RECEIVED);
            query.callback.onFailure();
            return true;
        }
        counters.increment(DhtCounter.RESPONSES_RECEIVED);
        rtt.sample(nowNs - query.sentNs);
        final Contact contact = new Contact(message.id(), from);
        final Contact stale = table.onResponse(contact, nowNs);
        if (stale != null)
        {
            ping(stale.address(), IGNORE, nowNs);
        }
        query.callback.onResponse(message, contact);
        return true;
    }

    /** Fails the queries whose time is up. */
    void expire(final long nowNs)
    {
        List<Outstanding> late = null;
        final Iterator<Outstanding> it = outstanding.values().iterator();
        while (it.hasNext())
        {
            final Outstanding query = it.next();
            if (nowNs - query.deadlineNs >= 0)
            {
                it.remove();
                timedOut.put(query.tid, query.to);
                late = late == null ? new ArrayList<>() : late;
                late.add(query);
            }
        }
        if (late != null)
        {
            for (final Outstanding query : late)
            {
                counters.increment(DhtCounter.QUERY_TIMEOUTS);
                table.onTimeout(query.to);
                query.callback.onFailure();
            }
        }
    }

    /** Picks the next free transaction id into {@link #tid}; false (counted) when too many are outstanding. */
    private boolean reserve()
    {
        if (outstanding.size() >= maxOutstanding)
        {
            counters.increment(DhtCounter.SEND_REFUSED);
            return false;
        }
        while (outstanding.containsKey(nextTid))
        {
            nextTid = (nextTid + 1) & 0xFFFF;
        }
        tid[0] = (byte)(nextTid >>> 8);
        tid[1] = (byte)nextTid;
        return true;
    }

    private boolean send(final BencodeWriter message, final InetSocketAddress to, final Callback callback,
        final long nowNs)
    {
        if (!transmit(message, to))
        {
            return false;
        }
        counters.increment(DhtCounter.QUERIES_SENT);
        timedOut.remove(nextTid); // reused: an answer to the old query would now look like one to this
        outstanding.put(nextTid, new Outstanding(nextTid, to, nowNs, nowNs + rtt.timeoutNs(), callback));
        nextTid = (nextTid + 1) & 0xFFFF;
        return true;
    }

    private boolean transmit(final BencodeWriter message, final InetSocketAddress to)
    {
        try
        {
            if (channel.send(ByteBuffer.wrap(message.array(), 0, message.length()), to) > 0)
            {
                return true;
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // unreachable or unresolved destinations: a failed send, counted, nothing more
        }
        counters.increment(DhtCounter.SEND_FAILED);
        return false;
    }
}
