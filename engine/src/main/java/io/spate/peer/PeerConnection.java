package io.spate.peer;

import io.spate.picker.Bitfield;
import io.spate.picker.PiecePicker;
import io.spate.storage.TorrentStorage;
import io.spate.wire.Handshake;
import io.spate.wire.MessageDecoder;
import io.spate.wire.MessageEncoder;
import io.spate.wire.MessageType;
import io.spate.verify.BlockMemory;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One peer connection, owned by one network agent: its socket, its handshake, the protocol state both sides have
 * declared (choke and interest flags, the peer's pieces, its extensions), the requests in flight both ways, and the
 * messages it sends, each through a method named for what it says ({@link #choke()}, {@link #interested},
 * {@link #have(int)} ...). Frames read are validated by the decoder and dispatched straight to the torrent's
 * {@link PeerHandler}, which decides; a violation closes this connection only. Sends are framed into a buffer and
 * flushed once per duty cycle; PIECE replies go out zero-copy ({@link PeerWriter}).
 */
public final class PeerConnection
{
    /** Lifecycle of the connection. */
    public enum State
    {
        CONNECTING, HANDSHAKING, ACTIVE, CLOSED
    }

    /** A connection whose handshake has not completed this long after it opened is closed. */
    public static final long HANDSHAKE_TIMEOUT_NS = 20_000_000_000L;

    private final long id;
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    /** On this host or a local network: a short round trip can be assumed ({@link LocalNetwork}). */
    private final boolean local;
    private final boolean outgoing;
    private final PeerReader reader;
    private final PeerWriter writer;
    private final PeerWriter.BlockSentListener blockSent = this::blockSent;
    private final PeerWriter.UploadLimit uploadLimit = bytes -> this.handler.mayUpload(this, bytes);
    private final byte[] remotePeerId = new byte[20];
    private final RequestPipeline requests;
    private final UploadQueue uploads;
    private final PeerTraffic traffic;

    private SelectionKey key;
    private PeerHandler handler;
    private FlushScheduler flushScheduler;
    private TorrentStorage storage;
    private State state;
    private boolean handshakeSent;
    private boolean flushScheduled;
    /** A download limit had no tokens: the socket is not read until the agent resumes it. */
    private boolean readsHeld;

    private PeerClaims claims;
    private boolean amChoking = true;
    private boolean amInterested;
    private int slot = -1;

    /** @param buffers the agent's read buffers, each at least the decoder's largest frame plus a handshake. */
    public PeerConnection(final long id, final SocketChannel channel, final InetSocketAddress remote,
        final boolean outgoing, final ReceiveBuffers buffers, final int maxInFlight, final int maxUploadQueue,
        final long nowNs)
    {
        this.id = id;
        this.channel = channel;
        this.remote = remote;
        this.local = LocalNetwork.isLocal(remote);
        this.outgoing = outgoing;
        this.reader = new PeerReader(this, buffers);
        this.writer = new PeerWriter(channel);
        this.traffic = new PeerTraffic(nowNs);
        this.requests = new RequestPipeline(this, maxInFlight, traffic, nowNs);
        this.uploads = new UploadQueue(maxUploadQueue);
        this.state = outgoing ? State.CONNECTING : State.HANDSHAKING;
    }

    public long id()
    {
        return id;
    }

    public SocketChannel channel()
    {
        return channel;
    }

    public InetSocketAddress remote()
    {
        return remote;
    }

    public boolean outgoing()
    {
        return outgoing;
    }

    public State state()
    {
        return state;
    }

    /**
     * @return whether requests queued at this peer may be moved to another ({@link io.spate.picker.RequestSteals}):
     * a Spate peer on a local network, whose send buffer follows its rate ({@link LocalNetwork}).
     */
    public boolean requestsMayMove()
    {
        return local && LocalNetwork.isSpate(remotePeerId);
    }

    public byte[] remotePeerId()
    {
        return remotePeerId;
    }

    public SelectionKey key()
    {
        return key;
    }

    public void key(final SelectionKey key)
    {
        this.key = key;
    }

    /** The torrent's stable index for this connection while it lasts (the choker's per-peer arrays use it). */
    public int slot()
    {
        return slot;
    }

    public void slot(final int slot)
    {
        this.slot = slot;
    }

    /** Binds the connection to a torrent (dialling: at once; accepting: at its handshake) and its owning agent. */
    public void attach(final PeerHandler handler, final TorrentStorage storage, final MessageDecoder decoder,
        final int pieceCount, final FlushScheduler flushScheduler)
    {
        this.handler = handler;
        this.flushScheduler = flushScheduler;
        this.storage = storage;
        this.reader.attach(handler, decoder);
        this.claims = new PeerClaims(pieceCount, outgoing ? remote : null);
    }

    public boolean attached()
    {
        return storage != null;
    }

    /** Sets who places an accepted connection once its handshake names a torrent. */
    public void router(final HandshakeRouter router)
    {
        reader.router(router);
    }

    /** Takes read buffers from {@code buffers} from now on (the agent an accepted connection was handed to). */
    public void receiveBuffers(final ReceiveBuffers buffers)
    {
        reader.buffers(buffers);
    }

    /**
     * @return the memory behind {@code buf} when it is this connection's read buffer (a block the decoder passed on
     * can then go to disk from where it is), else null.
     */
    public BlockMemory blockMemory(final DirectBuffer buf)
    {
        return reader.memoryOf(buf);
    }

    /** @return true when the last read found no buffer to move on to: the agent backs off as for a full ring. */
    public boolean readStarved()
    {
        return reader.starved();
    }

    /** @return bytes of the buffer this connection reads into now (small until it carries blocks). */
    int readBufferCapacity()
    {
        return reader.bufferCapacity();
    }

    /** @return ring slots one full read buffer of blocks may need. */
    public int readCapacityInBlocks()
    {
        return reader.capacityInBlocks();
    }

    /** What the peer has told us: its pieces, choke and interest, extensions (null until attached). */
    public PeerClaims claims()
    {
        return claims;
    }

    /** Our requests in flight to the peer and how deep to keep them. */
    public RequestPipeline requests()
    {
        return requests;
    }

    public boolean amChoking()
    {
        return amChoking;
    }

    public boolean amInterested()
    {
        return amInterested;
    }

    /** Queues our handshake: at once when dialling, after theirs names the torrent when accepting. */
    public void sendHandshake(final byte[] infoHash, final byte[] ourPeerId, final boolean dht)
    {
        final UnsafeBuffer buf = reserve(Handshake.LENGTH);
        if (buf != null && commit(Handshake.encode(buf, writer.end(), infoHash, ourPeerId, true, true, dht)))
        {
            handshakeSent = true;
        }
    }

    /** Chokes the peer; its queued requests are rejected (fast extension) or dropped. */
    public void choke()
    {
        if (!amChoking && sendIdOnly(MessageType.CHOKE))
        {
            amChoking = true;
            while (!uploads.isEmpty())
            {
                reject(uploads.headPiece(), uploads.headBegin(), uploads.headLength());
                uploads.poll();
            }
        }
    }

    public void unchoke()
    {
        if (amChoking && sendIdOnly(MessageType.UNCHOKE))
        {
            amChoking = false;
        }
    }

    /** Tells the peer we are (or are no longer) interested; nothing goes out when that is already what it knows. */
    public void interested(final boolean interested)
    {
        final byte id = interested ? MessageType.INTERESTED : MessageType.NOT_INTERESTED;
        if (amInterested != interested && sendIdOnly(id))
        {
            amInterested = interested;
        }
    }

    /** BEP 5: tells a peer that runs a DHT node where ours listens. */
    public void sendPort(final int udpPort)
    {
        final UnsafeBuffer buf = reserve(MessageEncoder.PORT_FRAME_LENGTH);
        if (buf != null)
        {
            commit(MessageEncoder.port(buf, writer.end(), udpPort));
        }
    }

    public void have(final int piece)
    {
        final UnsafeBuffer buf = reserve(MessageEncoder.HAVE_FRAME_LENGTH);
        if (buf != null)
        {
            commit(MessageEncoder.have(buf, writer.end(), piece));
        }
    }

    /** Opens the conversation with what we have: HAVE_ALL or HAVE_NONE when they say it all, else a BITFIELD. */
    public void announcePieces(final Bitfield have)
    {
        if (claims.fast() && (have.isComplete() || have.isEmpty()))
        {
            sendIdOnly(have.isComplete() ? MessageType.HAVE_ALL : MessageType.HAVE_NONE);
            return;
        }
        final UnsafeBuffer buf = have.isEmpty() ? null : reserve(MessageEncoder.HEADER_LENGTH + have.byteLength());
        if (buf != null)
        {
            final int at = writer.end();
            final int header = MessageEncoder.bitfieldHeader(buf, at, have.byteLength());
            commit(header + have.writeWire(buf, at + header));
        }
    }

    /** Sends REJECT_REQUEST (fast extension only: without it a request we will not serve is silently dropped). */
    public void reject(final int piece, final int begin, final int length)
    {
        if (claims.fast())
        {
            sendBlockRef(MessageType.REJECT_REQUEST, piece, begin, length);
        }
    }

    public void keepAlive()
    {
        final UnsafeBuffer buf = reserve(MessageEncoder.LENGTH_PREFIX);
        if (buf != null)
        {
            commit(MessageEncoder.keepAlive(buf, writer.end()));
        }
    }

    /**
     * Sends an EXTENDED message whose payload is {@code head} then {@code tail[from, from + n)} (n = 0 for none; a
     * BEP 9 data message is its dictionary, then a slice of the info dictionary).
     *
     * @return false when it did not fit: the peer is not reading; the caller decides whether that is fatal.
     */
    public boolean sendExtended(final int extendedId, final byte[] head, final byte[] tail, final int from,
        final int n)
    {
        final int body = head.length + n;
        final UnsafeBuffer out = state == State.CLOSED ? null :
            writer.reserve(MessageEncoder.EXTENDED_HEADER_LENGTH + body);
        if (out == null)
        {
            return false;
        }
        final int at = writer.end();
        MessageEncoder.extendedHeader(out, at, extendedId, body);
        out.putBytes(at + MessageEncoder.EXTENDED_HEADER_LENGTH, head);
        if (n > 0)
        {
            out.putBytes(at + MessageEncoder.EXTENDED_HEADER_LENGTH + head.length, tail, from, n);
        }
        return commit(MessageEncoder.EXTENDED_HEADER_LENGTH + body);
    }

    /** Queues a block the peer asked for. @return false when its queue is full (it exceeded the reqq we told). */
    public boolean queueUpload(final int piece, final int begin, final int length)
    {
        if (!uploads.offer(piece, begin, length))
        {
            return false;
        }
        scheduleFlush();
        return true;
    }

    /** @return true when the request was queued and is now withdrawn. */
    public boolean cancelUpload(final int piece, final int begin, final int length)
    {
        return uploads.remove(piece, begin, length);
    }

    public int uploadsQueued()
    {
        return uploads.size();
    }

    public PeerTraffic traffic()
    {
        return traffic;
    }

    /**
     * After {@link PeerTraffic#sample}: a slow connection's send buffer follows its upload rate (SendBufferSizer), for
     * a peer on a local network only (elsewhere the round trip is unknown: {@link LocalNetwork}).
     */
    public void uploadRateSampled(final SendBufferSizer sizer)
    {
        if (state != State.CLOSED && local)
        {
            writer.uploadRateSampled(traffic.uploadRate(), sizer);
        }
    }

    /** Completes a non-blocking connect; false when it is still in progress. */
    public boolean finishConnect() throws IOException
    {
        if (!channel.finishConnect())
        {
            return false;
        }
        state = State.HANDSHAKING;
        key.interestOps(SelectionKey.OP_READ);
        scheduleFlush();
        return true;
    }

    /**
     * Reads what the socket has and dispatches every whole, valid frame.
     *
     * @return bytes read, or -1 when the connection was closed (or handed to another agent) here.
     */
    public int onReadable(final long nowNs)
    {
        final int allowance = state == State.ACTIVE ? handler.downloadAllowance(this) : Integer.MAX_VALUE;
        if (allowance <= 0)
        {
            holdReads();
            return 0;
        }
        final int n;
        try
        {
            n = reader.read(channel, allowance);
        }
        catch (final IOException ex)
        {
            close(CloseReason.IO_ERROR, ex.getMessage());
            return -1;
        }
        if (n < 0)
        {
            close(CloseReason.PEER_CLOSED, "end of stream");
            return -1;
        }
        if (n > 0)
        {
            traffic.received(nowNs);
            if (state == State.ACTIVE)
            {
                handler.onDownloaded(this, n);
            }
            reader.process();
        }
        return state == State.CLOSED || reader.handedOver() ? -1 : n;
    }

    /** Stops reading (TCP's window then slows the sender) until {@link #resumeReads()}; the agent retries soon. */
    private void holdReads()
    {
        readsHeld = true;
        if (key != null && key.isValid())
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        flushScheduler.readWhenAllowed(this);
    }

    /** A held-back connection may read again (it is asked again at once if its limit is still dry). */
    public void resumeReads()
    {
        if (readsHeld && state != State.CLOSED)
        {
            readsHeld = false;
            if (key != null && key.isValid())
            {
                key.interestOps(key.interestOps() | SelectionKey.OP_READ);
            }
        }
    }

    /** Processes bytes already read (after a hand-over between agents). */
    public void processBuffered()
    {
        reader.processBuffered();
    }

    /** The handshake was accepted both ways: the connection is active and speaks what both sides offered. */
    void activate(final boolean fast, final boolean extended, final boolean dht)
    {
        if (!handshakeSent)
        {
            throw new IllegalStateException("torrent accepted the handshake without answering it");
        }
        claims.handshake(fast, extended, dht);
        state = State.ACTIVE;
    }

    /**
     * Writes queued messages, then blocks while the peer is unchoked, until the socket would block.
     *
     * @return bytes written to the socket, or -1 when the connection was closed here.
     */
    public long flush(final long nowNs)
    {
        flushScheduled = false;
        if (state == State.CLOSED || state == State.CONNECTING)
        {
            return 0;
        }
        final long total;
        try
        {
            total = writer.flush(uploads, !amChoking && state == State.ACTIVE, storage, blockSent, uploadLimit);
        }
        catch (final IOException ex)
        {
            close(CloseReason.IO_ERROR, ex.getMessage());
            return -1;
        }
        if (total > 0)
        {
            traffic.sent(nowNs);
        }
        if (key != null && key.isValid() && state != State.CLOSED)
        {
            writer.updateInterest(key, !readsHeld);
        }
        if (writer.heldBack())
        {
            flushScheduler.flushWhenAllowed(this);
        }
        return total;
    }

    private void blockSent(final int length)
    {
        traffic.uploaded(length);
        handler.onBlockSent(this, length);
    }

    /** @return where to frame a message of up to {@code n} bytes, or null (and the connection closed) when full. */
    private UnsafeBuffer reserve(final int n)
    {
        if (state == State.CLOSED)
        {
            return null;
        }
        final UnsafeBuffer buf = writer.reserve(n);
        if (buf == null)
        {
            close(CloseReason.SEND_BUFFER_OVERFLOW, "peer does not read what we send");
        }
        return buf;
    }

    private boolean sendIdOnly(final byte id)
    {
        final UnsafeBuffer buf = reserve(MessageEncoder.HEADER_LENGTH);
        return buf != null && commit(MessageEncoder.idOnly(buf, writer.end(), id));
    }

    /** REQUEST, CANCEL or REJECT_REQUEST: one frame shape. */
    void sendBlockRef(final byte id, final int piece, final int begin, final int length)
    {
        final UnsafeBuffer buf = reserve(MessageEncoder.REQUEST_FRAME_LENGTH);
        if (buf != null)
        {
            commit(MessageEncoder.blockRef(buf, writer.end(), id, piece, begin, length));
        }
    }

    private boolean commit(final int n)
    {
        writer.commit(n);
        scheduleFlush();
        return true;
    }

    /** The socket has room again: flush with the agent's other connections that have output, in its one flush. */
    public void flushSoon()
    {
        scheduleFlush();
    }

    private void scheduleFlush()
    {
        if (!flushScheduled)
        {
            flushScheduled = true;
            flushScheduler.flushLater(this);
        }
    }

    public void close(final CloseReason reason, final String detail)
    {
        if (state == State.CLOSED)
        {
            return;
        }
        state = State.CLOSED;
        reader.stop();
        writer.release();
        if (key != null)
        {
            key.cancel();
        }
        // account for the close before the socket goes, so whoever sees the socket closed sees it counted
        if (handler != null)
        {
            handler.onClosed(this, reason, detail);
        }
        else
        {
            reader.unroutedClosed(reason, detail);
        }
        CloseHelper.quietClose(channel);
        reader.close();
    }

    @Override
    public String toString()
    {
        return remote.toString();
    }
}
