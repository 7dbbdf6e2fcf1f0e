package io.spate.bench.seedbox;

import io.spate.metainfo.Metainfo;
import io.spate.wire.Handshake;
import io.spate.wire.HandshakeError;
import io.spate.wire.MessageDecoder;
import io.spate.wire.MessageEncoder;
import io.spate.wire.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One leecher connection of {@link PeerLoad}: connects, handshakes, says interested, and once unchoked downloads
 * every piece of its torrent PASSES times, a few pieces at a time ({@code slots}), each piece checked against its
 * SHA-1 from the .torrent as soon as its blocks are in. Served means every piece of every pass arrived and matched;
 * the connection then stays open (not interested) until the run ends, so the seed holds every connection at once.
 * Decoding is the engine's own {@link MessageDecoder}; a choke or reject puts the blocks asked for back to be asked
 * again. Owned by the load's one selector thread.
 */
final class LoadConnection implements MessageHandler<LoadConnection>
{
    static final int BLOCK = 16 * 1024;
    private static final byte UNREQUESTED = 0;
    private static final byte REQUESTED = 1;
    private static final byte RECEIVED = 2;

    enum Phase
    {
        IDLE, CONNECTING, HANDSHAKING, ACTIVE, FINISHED
    }

    private final Metainfo torrent;
    private final InetSocketAddress seed;
    private final byte[] peerId;
    private final LoadCounters counters;
    private final MessageDecoder decoder;
    private final MessageDigest sha1;
    private final byte[] digest = new byte[20];
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer inView = new UnsafeBuffer(in);
    private final ByteBuffer out = ByteBuffer.allocateDirect(8 * 1024);
    private final UnsafeBuffer outView = new UnsafeBuffer(out);
    private final int piecesToServe;
    private final int firstPiece;
    private final int[] slotPiece;
    private final byte[][] slotData;
    private final byte[][] blockState;
    private final long[][] sentNs;
    private final int[] slotMissing;

    private SocketChannel channel;
    private SelectionKey key;
    Phase phase = Phase.IDLE;
    LoadOutcome outcome = LoadOutcome.RUNNING;
    String detail = "";
    private boolean choked = true;
    private int piecesAssigned;
    private int piecesVerified;
    long startedNs;
    long lastProgressNs;
    long servedNs;
    boolean closedAfterServed;
    private boolean openCounted;

    LoadConnection(final Metainfo torrent, final InetSocketAddress seed, final byte[] peerId, final int passes,
        final int slots, final int firstPiece, final LoadCounters counters)
    {
        this.torrent = torrent;
        this.seed = seed;
        this.peerId = peerId;
        this.counters = counters;
        this.decoder = new MessageDecoder(torrent.pieceCount(), torrent.pieceLength(), torrent.lastPieceLength());
        try
        {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        this.piecesToServe = torrent.pieceCount() * passes;
        this.firstPiece = firstPiece % torrent.pieceCount();
        final int n = Math.min(slots, torrent.pieceCount());
        this.slotPiece = new int[n];
        this.slotData = new byte[n][];
        this.blockState = new byte[n][];
        this.sentNs = new long[n][];
        this.slotMissing = new int[n];
        final int blocks = (torrent.pieceLength() + BLOCK - 1) / BLOCK;
        for (int s = 0; s < n; s++)
        {
            slotPiece[s] = -1;
            blockState[s] = new byte[blocks];
            sentNs[s] = new long[blocks];
        }
    }

    /** Starts the connect; the selector reports when it completes. */
    void connect(final java.nio.channels.Selector selector, final long nowNs) throws IOException
    {
        startedNs = nowNs;
        lastProgressNs = nowNs;
        phase = Phase.CONNECTING;
        counters.attempted++;
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        if (channel.connect(seed))
        {
            onConnectable(nowNs);
        }
    }

    void onConnectable(final long nowNs)
    {
        try
        {
            channel.finishConnect();
        }
        catch (final IOException ex)
        {
            fail(LoadOutcome.CONNECT_FAILED, ex.getMessage());
            return;
        }
        counters.connected++;
        counters.open++;
        openCounted = true;
        counters.peakOpen = Math.max(counters.peakOpen, counters.open);
        counters.connectUs.recordValue(Math.max(0, (nowNs - startedNs) / 1000));
        phase = Phase.HANDSHAKING;
        lastProgressNs = nowNs;
        final int n = Handshake.encode(outView, out.position(), torrent.infoHash(), peerId, false, false);
        out.position(out.position() + n);
        key.interestOps(SelectionKey.OP_READ);
        flush();
    }

    void onReadable(final long nowNs)
    {
        try
        {
            while (phase == Phase.HANDSHAKING || phase == Phase.ACTIVE)
            {
                final int read = channel.read(in);
                if (read < 0)
                {
                    closedBySeed("end of stream");
                    return;
                }
                if (read == 0)
                {
                    return;
                }
                counters.bytesReceived += read;
                consume(nowNs);
            }
        }
        catch (final IOException ex)
        {
            closedBySeed(ex.getMessage());
        }
    }

    private void consume(final long nowNs)
    {
        int start = 0;
        final int end = in.position();
        if (phase == Phase.HANDSHAKING)
        {
            if (end < Handshake.LENGTH)
            {
                return;
            }
            final HandshakeError error = Handshake.validate(inView, 0, end);
            if (error != HandshakeError.NONE || !Handshake.infoHashEquals(inView, 0, torrent.infoHash()))
            {
                fail(LoadOutcome.BAD_HANDSHAKE, error == HandshakeError.NONE ? "another info-hash" : error.name());
                return;
            }
            counters.handshaken++;
            counters.handshakeUs.recordValue(Math.max(0, (nowNs - startedNs) / 1000));
            phase = Phase.ACTIVE;
            lastProgressNs = nowNs;
            start = Handshake.LENGTH;
            out.position(out.position() + MessageEncoder.interested(outView, out.position()));
            flush();
        }
        final int consumed = decoder.decode(inView, start, end - start, this, this);
        if (consumed == MessageDecoder.VIOLATION)
        {
            fail(LoadOutcome.PROTOCOL_VIOLATION, decoder.violation().name());
            return;
        }
        in.flip();
        in.position(start + consumed);
        in.compact();
        if (!in.hasRemaining())
        {
            fail(LoadOutcome.PROTOCOL_VIOLATION, "a frame larger than the read buffer");
        }
    }

    /** Once in a while from the loop: a connection that made no progress for stallNs fails, naming its phase. */
    void checkTimeouts(final long nowNs, final long stallNs)
    {
        if (phase == Phase.FINISHED || phase == Phase.IDLE || nowNs - lastProgressNs < stallNs)
        {
            return;
        }
        switch (phase)
        {
            case CONNECTING -> fail(LoadOutcome.CONNECT_TIMEOUT, "no connect");
            case HANDSHAKING -> fail(LoadOutcome.HANDSHAKE_TIMEOUT, "no handshake");
            default -> fail(LoadOutcome.STALLED, choked ? "choked" : "no block");
        }
    }

    void flush()
    {
        if (channel == null || !channel.isOpen())
        {
            return;
        }
        try
        {
            out.flip();
            channel.write(out);
            out.compact();
            if (key.isValid())
            {
                key.interestOps(out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE :
                    SelectionKey.OP_READ);
            }
        }
        catch (final IOException ex)
        {
            closedBySeed(ex.getMessage());
        }
    }

    boolean isOpen()
    {
        return channel != null && channel.isOpen();
    }

    /** Ends the connection at the run's end: a connection not served by then failed on the deadline. */
    void closeAtEnd()
    {
        if (outcome == LoadOutcome.RUNNING)
        {
            fail(LoadOutcome.DEADLINE, phase.name().toLowerCase(java.util.Locale.ROOT));
        }
        close();
    }

    private void closedBySeed(final String why)
    {
        if (outcome == LoadOutcome.SERVED)
        {
            closedAfterServed = true;
            close();
            return;
        }
        fail(LoadOutcome.CLOSED_BY_SEED, why);
    }

    private void fail(final LoadOutcome reason, final String why)
    {
        if (outcome == LoadOutcome.RUNNING)
        {
            outcome = reason;
            detail = why == null ? "" : why;
        }
        close();
    }

    private void close()
    {
        if (channel != null && channel.isOpen())
        {
            if (openCounted)
            {
                counters.open--;
                openCounted = false;
            }
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // closing: nothing to do
            }
        }
        phase = Phase.FINISHED;
    }

    // ---- requests

    private void assignAndRequest(final long nowNs)
    {
        for (int s = 0; s < slotPiece.length; s++)
        {
            if (slotPiece[s] < 0 && piecesAssigned < piecesToServe)
            {
                final int piece = (firstPiece + piecesAssigned++) % torrent.pieceCount();
                final int size = torrent.pieceSize(piece);
                slotPiece[s] = piece;
                if (slotData[s] == null)
                {
                    slotData[s] = new byte[torrent.pieceLength()];
                }
                slotMissing[s] = (size + BLOCK - 1) / BLOCK;
                java.util.Arrays.fill(blockState[s], UNREQUESTED);
            }
        }
        if (choked)
        {
            return;
        }
        for (int s = 0; s < slotPiece.length; s++)
        {
            final int piece = slotPiece[s];
            if (piece < 0)
            {
                continue;
            }
            final int size = torrent.pieceSize(piece);
            for (int b = 0; b * BLOCK < size; b++)
            {
                if (blockState[s][b] == UNREQUESTED && out.remaining() >= MessageEncoder.REQUEST_FRAME_LENGTH)
                {
                    final int length = Math.min(BLOCK, size - b * BLOCK);
                    out.position(out.position() + MessageEncoder.request(outView, out.position(), piece, b * BLOCK,
                        length));
                    blockState[s][b] = REQUESTED;
                    sentNs[s][b] = nowNs;
                    counters.requests++;
                }
            }
        }
        flush();
    }

    private int slotOf(final int piece)
    {
        for (int s = 0; s < slotPiece.length; s++)
        {
            if (slotPiece[s] == piece)
            {
                return s;
            }
        }
        return -1;
    }

    // ---- messages

    @Override
    public void onChoke(final LoadConnection peer)
    {
        choked = true;
        counters.chokes++;
        for (int s = 0; s < slotPiece.length; s++)
        {
            for (int b = 0; b < blockState[s].length; b++)
            {
                if (blockState[s][b] == REQUESTED)
                {
                    blockState[s][b] = UNREQUESTED; // without the fast extension a choke drops what was asked
                }
            }
        }
    }

    @Override
    public void onUnchoke(final LoadConnection peer)
    {
        choked = false;
        lastProgressNs = System.nanoTime();
        if (outcome == LoadOutcome.RUNNING)
        {
            assignAndRequest(lastProgressNs);
        }
    }

    @Override
    public void onInterested(final LoadConnection peer)
    {
    }

    @Override
    public void onNotInterested(final LoadConnection peer)
    {
    }

    @Override
    public void onHave(final LoadConnection peer, final int index)
    {
    }

    @Override
    public void onBitfield(final LoadConnection peer, final DirectBuffer buf, final int offset, final int length)
    {
        for (int i = 0; i < torrent.pieceCount(); i++)
        {
            if ((buf.getByte(offset + (i >> 3)) & (0x80 >>> (i & 7))) == 0)
            {
                counters.incompleteSeeds++;
                return;
            }
        }
    }

    @Override
    public void onRequest(final LoadConnection peer, final int index, final int begin, final int length)
    {
        counters.requestsFromSeed++;
    }

    @Override
    public void onCancel(final LoadConnection peer, final int index, final int begin, final int length)
    {
    }

    @Override
    public void onPiece(final LoadConnection peer, final int index, final int begin, final DirectBuffer buf,
        final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        final int s = slotOf(index);
        final int b = begin / BLOCK;
        if (s < 0 || begin % BLOCK != 0 || b >= blockState[s].length || blockState[s][b] == RECEIVED ||
            length != Math.min(BLOCK, torrent.pieceSize(index) - begin))
        {
            counters.unrequestedBlocks++; // a block sent before a choke and asked for again arrives twice
            return;
        }
        if (blockState[s][b] == REQUESTED)
        {
            counters.rttUs.recordValue(Math.max(0, (nowNs - sentNs[s][b]) / 1000));
        }
        buf.getBytes(offset, slotData[s], begin, length);
        blockState[s][b] = RECEIVED;
        counters.blocks++;
        lastProgressNs = nowNs;
        if (--slotMissing[s] > 0)
        {
            return;
        }
        sha1.update(slotData[s], 0, torrent.pieceSize(index));
        try
        {
            sha1.digest(digest, 0, 20);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        if (!torrent.pieceHashMatches(index, digest, 0))
        {
            counters.badPieces++;
            fail(LoadOutcome.BAD_PIECE, "piece " + index);
            decoder.stop();
            return;
        }
        counters.piecesVerified++;
        slotPiece[s] = -1;
        if (++piecesVerified == piecesToServe)
        {
            outcome = LoadOutcome.SERVED;
            servedNs = nowNs;
            counters.served++;
            out.position(out.position() + MessageEncoder.notInterested(outView, out.position()));
            flush();
            return;
        }
        assignAndRequest(nowNs);
    }

    @Override
    public void onHaveAll(final LoadConnection peer)
    {
    }

    @Override
    public void onRejectRequest(final LoadConnection peer, final int index, final int begin, final int length)
    {
        final int s = slotOf(index);
        if (s >= 0 && begin / BLOCK < blockState[s].length && blockState[s][begin / BLOCK] == REQUESTED)
        {
            blockState[s][begin / BLOCK] = UNREQUESTED;
        }
    }

    @Override
    public void onExtended(final LoadConnection peer, final int extendedId, final DirectBuffer buf, final int offset,
        final int length)
    {
    }
}
