package io.spate.peer;

import io.spate.picker.Bitfield;
import io.spate.storage.TorrentStorage;
import io.spate.wire.Handshake;
import io.spate.wire.HandshakeError;
import io.spate.wire.MessageDecoder;
import io.spate.wire.MessageEncoder;
import io.spate.wire.MessageHandler;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One peer connection, owned by one network agent: its socket, read and write buffers, wire decoder, choke and
 * interest flags, requests in flight both ways, and the zero-copy send of PIECE replies (13-byte header from a
 * direct buffer, then {@code transferTo} from the file, resumed across partial writes). Frames are validated by the
 * decoder before any event reaches the torrent; a violation closes this connection only.
 */
public final class PeerConnection implements MessageHandler
{
    /** Lifecycle of the connection. */
    public enum State
    {
        CONNECTING, HANDSHAKING, ACTIVE, CLOSED
    }

    private static final int WRITE_BUFFER = 64 * 1024;
    /** Requests we keep in flight to a peer that has not told us its {@code reqq}. */
    public static final int DEFAULT_PEER_REQUEST_QUEUE = 250;

    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final boolean outgoing;
    private final long id;
    private final ByteBuffer readBuffer;
    private final UnsafeBuffer readView;
    private final ByteBuffer writeBuffer;
    private final UnsafeBuffer writeView;
    private final ByteBuffer pieceHeader = BufferUtil.allocateDirectAligned(64, 64);
    private final UnsafeBuffer pieceHeaderView = new UnsafeBuffer(pieceHeader);
    private final byte[] remotePeerId = new byte[20];
    private final byte[] scratch20 = new byte[20];

    private SelectionKey key;
    private PeerEvents events;
    private HandshakeRouter router;
    /** Set on the accepting agent's thread when the connection leaves it; read only by that thread. */
    private boolean handedOver;
    private TorrentStorage storage;
    private MessageDecoder decoder;
    private State state;
    private boolean handshakeSent;
    private int readLength;
    private int writeSent;
    private int writeLength;

    // zero-copy send of the block at the head of the upload queue
    private boolean sendingHeader;
    private boolean sendingBody;
    /** Nagle is on while a flush sends PIECE replies (see {@link #cork()}). */
    private boolean corked;
    private int sendPiece;
    private int sendBegin;
    private int sendLength;
    private int sendDone;

    // peer state (public for the session, which owns the policy)
    public final InFlightRequests inFlight;
    public final UploadQueue uploads;
    public Bitfield peerHas;
    public boolean peerIsSeed;
    public boolean amChoking = true;
    public boolean amInterested;
    public boolean peerChoking = true;
    public boolean peerInterested;
    public boolean fast;
    public boolean extended;
    public boolean snubbed;
    public long downloadedBytes;
    public long uploadedBytes;
    public long lastReceiveNs;
    public long lastSendNs;
    public long lastPieceNs;
    public int hashFailures;
    /**
     * Most requests the peer takes at once: its BEP 10 {@code reqq}, or a conservative default (libtorrent's 250)
     * until it says; requests beyond it may be dropped silently by some clients.
     */
    public int maxRequests = DEFAULT_PEER_REQUEST_QUEUE;
    /** The extended id the peer takes BEP 9 ut_metadata messages on (its extension handshake), 0 = none. */
    public int peerMetadataId;
    /** ut_metadata requests this peer has made of us (flood protection). */
    public int metadataRequests;
    /** The extended id the peer takes BEP 11 ut_pex messages on, 0 = none. */
    public int peerPexId;
    /** Where the peer accepts connections: the address we dialled, or its IP with the {@code p} it told; or null. */
    public InetSocketAddress listenAddress;
    /** Contacts we have told this peer of by PEX and not dropped since (null until the first message). */
    public java.util.Set<InetSocketAddress> pexSent;
    /** When we next send this peer a PEX message; when it may next send us one. */
    public long nextPexNs;
    public long pexAcceptedFromNs;
    /**
     * Slow start of the request pipeline (as libtorrent's): one more request in flight per block received, so the
     * depth doubles every round trip until the once-a-second rate measurement takes over.
     */
    public int slowStartDepth = io.spate.peer.RequestQueueSizer.DEFAULT_MIN_DEPTH;
    /** Agent-assigned slot for policy views (choker). */
    public int slot = -1;
    /** Queued output to flush at the end of the agent's duty cycle (set and cleared by the agent). */
    public boolean dirty;
    /** Payload rates in bytes/s over a sliding window, updated by the agent's once-a-second tick. */
    public long downloadRate;
    public long uploadRate;
    public long rateSampleDownloaded;
    public long rateSampleUploaded;
    public final io.spate.metrics.RateEstimator downloadMeter = new io.spate.metrics.RateEstimator();
    public final io.spate.metrics.RateEstimator uploadMeter = new io.spate.metrics.RateEstimator();

    /**
     * @param readCapacity at least the decoder's largest frame plus a handshake.
     */
    public PeerConnection(final long id, final SocketChannel channel, final InetSocketAddress remote,
        final boolean outgoing, final int readCapacity, final int maxInFlight, final int maxUploadQueue,
        final long nowNs)
    {
        this.id = id;
        this.channel = channel;
        this.remote = remote;
        this.outgoing = outgoing;
        this.listenAddress = outgoing ? remote : null;
        this.readBuffer = BufferUtil.allocateDirectAligned(org.agrona.BitUtil.findNextPositivePowerOfTwo(readCapacity), 64);
        this.readView = new UnsafeBuffer(readBuffer);
        this.writeBuffer = BufferUtil.allocateDirectAligned(WRITE_BUFFER, 64);
        this.writeView = new UnsafeBuffer(writeBuffer);
        this.inFlight = new InFlightRequests(maxInFlight);
        this.uploads = new UploadQueue(maxUploadQueue);
        this.state = outgoing ? State.CONNECTING : State.HANDSHAKING;
        this.lastReceiveNs = nowNs;
        this.lastSendNs = nowNs;
        this.lastPieceNs = nowNs;
        this.downloadMeter.start(nowNs);
        this.uploadMeter.start(nowNs);
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

    public byte[] remotePeerId()
    {
        return remotePeerId;
    }

    public void key(final SelectionKey key)
    {
        this.key = key;
    }

    /** Binds the connection to a torrent (known at once when dialling, after the handshake when accepting). */
    public void attach(final PeerEvents events, final TorrentStorage storage, final MessageDecoder decoder,
        final int pieceCount)
    {
        this.events = events;
        this.storage = storage;
        this.decoder = decoder;
        this.peerHas = new Bitfield(pieceCount);
    }

    /** Sets who places an accepted connection once its handshake names a torrent. */
    public void router(final HandshakeRouter router)
    {
        this.router = router;
    }

    public SelectionKey key()
    {
        return key;
    }

    /** @return ring slots one full read buffer of blocks may need. */
    public int readCapacityInBlocks()
    {
        return readBuffer.capacity() / (16 * 1024) + 1;
    }

    /** Processes bytes already in the read buffer (after a hand-over between agents). */
    public int processBuffered(final long nowNs)
    {
        handedOver = false;
        return readLength == 0 ? 0 : process(0, nowNs);
    }

    public boolean attached()
    {
        return storage != null;
    }

    // ---- connect and handshake --------------------------------------------------------------------------------

    /** Completes a non-blocking connect; false when it is still in progress. */
    public boolean finishConnect() throws IOException
    {
        if (!channel.finishConnect())
        {
            return false;
        }
        state = State.HANDSHAKING;
        key.interestOps(SelectionKey.OP_READ);
        return true;
    }

    /** Queues our handshake: at once when dialling, after theirs names the torrent when accepting. */
    public void sendHandshake(final byte[] infoHash, final byte[] ourPeerId)
    {
        ensureWritable(Handshake.LENGTH);
        writeLength += Handshake.encode(writeView, writeLength, infoHash, ourPeerId, true, true);
        handshakeSent = true;
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /**
     * Reads what the socket has and dispatches every whole, valid frame.
     *
     * @return bytes read, or -1 when the connection was closed here.
     */
    public int onReadable(final long nowNs)
    {
        final int n;
        try
        {
            readBuffer.limit(readBuffer.capacity()).position(readLength);
            n = channel.read(readBuffer);
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
        if (n == 0)
        {
            return 0;
        }
        lastReceiveNs = nowNs;
        readLength += n;
        return process(n, nowNs);
    }

    private int process(final int n, final long nowNs)
    {
        int offset = 0;
        if (state == State.HANDSHAKING)
        {
            offset = readHandshake();
            if (offset < 0)
            {
                return state == State.CLOSED || handedOver ? -1 : n;
            }
        }
        if (state == State.ACTIVE)
        {
            final int consumed = decoder.decode(readView, offset, readLength - offset, this);
            if (consumed < 0)
            {
                close(CloseReason.PROTOCOL_VIOLATION, decoder.violation() + " in message id " +
                    decoder.violationMessageId());
                return -1;
            }
            offset += consumed;
        }
        if (state == State.CLOSED)
        {
            return -1;
        }
        compact(offset);
        return n;
    }

    /** @return bytes consumed by the handshake, or -1 when it is not complete yet (or failed: state CLOSED). */
    private int readHandshake()
    {
        final HandshakeError error = Handshake.validate(readView, 0, readLength);
        if (error == HandshakeError.INCOMPLETE)
        {
            return -1;
        }
        if (error != HandshakeError.NONE)
        {
            close(CloseReason.BAD_HANDSHAKE, error.toString());
            return -1;
        }
        fast = Handshake.supportsFast(readView, 0);
        extended = Handshake.supportsExtended(readView, 0);
        Handshake.peerId(readView, 0, remotePeerId);
        final byte[] infoHash = scratch20;
        Handshake.infoHash(readView, 0, infoHash);
        if (!attached())
        {
            final HandshakeRouter.Outcome outcome = router.route(this, infoHash, remotePeerId);
            if (outcome == HandshakeRouter.Outcome.REFUSED)
            {
                close(CloseReason.WRONG_INFO_HASH, "handshake names a torrent not served here");
                return -1;
            }
            if (outcome == HandshakeRouter.Outcome.HANDED_OVER)
            {
                handedOver = true;
                return -1; // the owning agent replays the buffered bytes; this thread must not touch them again
            }
        }
        if (!events.onHandshake(this, infoHash, remotePeerId))
        {
            if (state != State.CLOSED)
            {
                close(CloseReason.WRONG_INFO_HASH, "info-hash not served here");
            }
            return -1;
        }
        if (!handshakeSent)
        {
            throw new IllegalStateException("torrent accepted the handshake without answering it");
        }
        decoder.fastEnabled(fast);
        decoder.extendedEnabled(extended);
        state = State.ACTIVE;
        events.onActive(this);
        return Handshake.LENGTH;
    }

    private void compact(final int consumed)
    {
        if (consumed == 0)
        {
            return;
        }
        final int left = readLength - consumed;
        if (left > 0)
        {
            readView.putBytes(0, readView, consumed, left);
        }
        readLength = left;
    }

    // ---- MessageHandler: validated frames go to the torrent ------------------------------------------------------

    @Override
    public void onKeepAlive()
    {
    }

    @Override
    public void onChoke()
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        peerChoking = true;
        events.onChoke(this);
    }

    @Override
    public void onUnchoke()
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        peerChoking = false;
        events.onUnchoke(this);
    }

    @Override
    public void onInterested()
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        peerInterested = true;
        events.onInterested(this, true);
    }

    @Override
    public void onNotInterested()
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        peerInterested = false;
        events.onInterested(this, false);
    }

    @Override
    public void onHave(final int index)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onHave(this, index);
    }

    @Override
    public void onBitfield(final DirectBuffer buf, final int offset, final int length)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onBitfield(this, buf, offset, length);
    }

    @Override
    public void onRequest(final int index, final int begin, final int length)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onRequest(this, index, begin, length);
    }

    @Override
    public void onCancel(final int index, final int begin, final int length)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onCancel(this, index, begin, length);
    }

    @Override
    public void onPiece(final int index, final int begin, final DirectBuffer buf, final int offset, final int length)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onPiece(this, index, begin, buf, offset, length);
    }

    @Override
    public void onPort(final int port)
    {
    }

    @Override
    public void onSuggestPiece(final int index)
    {
    }

    @Override
    public void onHaveAll()
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onHaveAll(this);
    }

    @Override
    public void onHaveNone()
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onHaveNone(this);
    }

    @Override
    public void onRejectRequest(final int index, final int begin, final int length)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onReject(this, index, begin, length);
    }

    @Override
    public void onAllowedFast(final int index)
    {
    }

    @Override
    public void onExtended(final int extendedId, final DirectBuffer buf, final int offset, final int length)
    {
        if (state != State.ACTIVE)
        {
            return;
        }
        events.onExtended(this, extendedId, buf, offset, length);
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** @return the write buffer to append a message of up to {@code length} bytes at {@link #writeOffset()}. */
    public UnsafeBuffer writeBuffer(final int length)
    {
        ensureWritable(length);
        return writeView;
    }

    public int writeOffset()
    {
        return writeLength;
    }

    /** Commits {@code length} bytes appended at {@link #writeOffset()}. */
    public void commitWrite(final int length)
    {
        writeLength += length;
    }

    private void ensureWritable(final int length)
    {
        if (writeLength + length <= writeView.capacity())
        {
            return;
        }
        // move the unsent tail to the front; a peer that lets 64 KiB of messages pile up is not reading
        final int unsent = writeLength - writeSent;
        if (unsent > 0 && writeSent > 0)
        {
            writeView.putBytes(0, writeView, writeSent, unsent);
        }
        writeSent = 0;
        writeLength = unsent;
        if (writeLength + length > writeView.capacity())
        {
            throw new SendBufferOverflow();
        }
    }

    /**
     * Writes queued messages, then PIECE replies with zero-copy sends, until the socket would block.
     *
     * @return bytes written to the socket, or -1 when the connection was closed here.
     */
    public long flush(final long nowNs)
    {
        long total = 0;
        try
        {
            while (true)
            {
                if (sendingHeader || sendingBody)
                {
                    final long n = continueBlock();
                    total += n;
                    if (sendingHeader || sendingBody)
                    {
                        break;
                    }
                    continue;
                }
                if (writeLength > writeSent)
                {
                    writeBuffer.limit(writeLength).position(writeSent);
                    final int n = channel.write(writeBuffer);
                    writeSent += n;
                    total += n;
                    if (writeSent < writeLength)
                    {
                        break;
                    }
                    writeSent = 0;
                    writeLength = 0;
                    continue;
                }
                if (!uploads.isEmpty() && !amChoking && state == State.ACTIVE)
                {
                    cork();
                    startBlock();
                    continue;
                }
                break;
            }
            uncork();
        }
        catch (final IOException ex)
        {
            close(CloseReason.IO_ERROR, ex.getMessage());
            return -1;
        }
        if (total > 0)
        {
            lastSendNs = nowNs;
        }
        updateWriteInterest();
        return total;
    }

    /**
     * TCP_CORK by other means (Java has neither it nor MSG_MORE): with TCP_NODELAY the 13-byte header of each PIECE
     * reply left as a segment of its own ahead of its sendfile'd block, doubling the segments a leecher must take in
     * (nstat: 53K against libtorrent's 28K per GiB). With Nagle on for the length of the flush, headers and blocks
     * share segments; turning TCP_NODELAY back on at its end pushes what is queued (Linux does so when it is set).
     */
    private void cork() throws IOException
    {
        if (!corked)
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, false);
            corked = true;
        }
    }

    private void uncork() throws IOException
    {
        if (corked)
        {
            corked = false;
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    private void startBlock()
    {
        sendPiece = uploads.headPiece();
        sendBegin = uploads.headBegin();
        sendLength = uploads.headLength();
        uploads.poll();
        sendDone = 0;
        MessageEncoder.pieceHeader(pieceHeaderView, 0, sendPiece, sendBegin, sendLength);
        pieceHeader.limit(MessageEncoder.PIECE_HEADER_LENGTH).position(0);
        sendingHeader = true;
    }

    private long continueBlock() throws IOException
    {
        long total = 0;
        if (sendingHeader)
        {
            total += channel.write(pieceHeader);
            if (pieceHeader.hasRemaining())
            {
                return total;
            }
            sendingHeader = false;
            sendingBody = true;
        }
        final long n = storage.send(sendPiece, sendBegin + sendDone, sendLength - sendDone, channel);
        sendDone += (int)n;
        total += n;
        if (sendDone == sendLength)
        {
            sendingBody = false;
            uploadedBytes += sendLength;
            events.onBlockSent(this, sendLength);
        }
        return total;
    }

    private void updateWriteInterest()
    {
        if (key == null || !key.isValid() || state == State.CLOSED || state == State.CONNECTING)
        {
            return;
        }
        final boolean blocked = writeLength > writeSent || sendingHeader || sendingBody;
        final int ops = blocked ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (key.interestOps() != ops)
        {
            key.interestOps(ops);
        }
    }

    // ---- closing ----------------------------------------------------------------------------------------------

    public void close(final CloseReason reason, final String detail)
    {
        if (state == State.CLOSED)
        {
            return;
        }
        state = State.CLOSED;
        if (decoder != null)
        {
            decoder.stop();
        }
        if (key != null)
        {
            key.cancel();
        }
        // account for the close before the socket goes, so whoever sees the socket closed sees it counted
        if (events != null)
        {
            events.onClosed(this, reason, detail);
        }
        else if (router != null)
        {
            router.onClosed(this, reason, detail);
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // already gone
        }
    }

    @Override
    public String toString()
    {
        return remote.toString();
    }

    /** Thrown (control flow only, no stack) when a peer does not drain what we queue for it. */
    public static final class SendBufferOverflow extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        SendBufferOverflow()
        {
            super("send buffer overflow", null, false, false);
        }
    }
}
