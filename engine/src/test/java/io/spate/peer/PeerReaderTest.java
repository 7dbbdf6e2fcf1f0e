package io.spate.peer;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.TorrentBuilder;
import io.spate.storage.TorrentStorage;
import io.spate.testing.TestData;
import io.spate.verify.BlockMemory;
import io.spate.wire.Handshake;
import io.spate.wire.MessageDecoder;
import io.spate.wire.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The receive path over a real loopback socket: frames split at every byte boundary, blocks handed on where the
 * socket read put them (never copied), and bytes the disk handlers may still read never written over while reads go
 * on; hostile lengths close the connection with the violation named. The "disk handlers" here are the test: it keeps
 * every block reference it is given and checks its bytes only later, after more reads, advancing the processed
 * sequence only then, as the ring does.
 */
@Timeout(60)
final class PeerReaderTest
{
    private static final int BLOCK = 1024;
    private static final int PIECES = 1 << 16;
    private static final int PIECE_LENGTH = 16 * BLOCK;
    /** Small buffers (a 4 KiB frame limit) so that a test passes through many buffer switches. */
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_RETIRED = 3;

    @TempDir
    Path tmp;
    private ServerSocketChannel listener;
    private SocketChannel remote;
    private PeerConnection connection;
    private TorrentStorage storage;
    private final Recorder handler = new Recorder();
    private ReceiveBuffers buffers;
    private long received;
    private long sent;

    @BeforeEach
    void connect() throws Exception
    {
        open(BUFFER);
    }

    /** A connection whose first buffer has {@code startBuffer} bytes and whose full-size ones {@link #BUFFER}. */
    private void open(final int startBuffer) throws Exception
    {
        TestData.file(tmp.resolve("f.bin"), 4096, 1);
        final Metainfo metainfo = Metainfo.parse(TorrentBuilder.of(tmp.resolve("f.bin")).pieceLength(16384).build());
        storage = TorrentStorage.open(metainfo, tmp.resolve("dl"), true);
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        remote = SocketChannel.open(listener.getLocalAddress());
        final SocketChannel local = listener.accept();
        local.configureBlocking(false);
        buffers = new ReceiveBuffers(startBuffer, BUFFER, 1, MAX_RETIRED, new AtomicInteger(), () -> handler.published,
            () -> handler.processed);
        connection = new PeerConnection(1, local, (InetSocketAddress)remote.getLocalAddress(), false, buffers, 64, 64,
            0);
        connection.attach(handler, storage, new MessageDecoder(PIECES, PIECE_LENGTH, PIECE_LENGTH, 4096 + 13),
            metainfo.pieceCount(), new NoFlush());
        connection.sendHandshake(new byte[20], new byte[20], false);
        final UnsafeBuffer hs = new UnsafeBuffer(new byte[Handshake.LENGTH]);
        Handshake.encode(hs, 0, new byte[20], new byte[20], true, false, false);
        send(hs.byteArray(), 0, Handshake.LENGTH);
        assertEquals(PeerConnection.State.ACTIVE, connection.state());
    }

    @AfterEach
    void close() throws IOException
    {
        connection.close(CloseReason.SHUTDOWN, "test over");
        remote.close();
        listener.close();
        storage.close();
    }

    @Test
    void framesSplitAtEveryByteBoundaryArriveWholeAndBlocksStayIntactUntilProcessed() throws Exception
    {
        int block = 0;
        final byte[] group = group(block);
        for (int cut = 1; cut < group.length; cut++)
        {
            final byte[] bytes = group(block);
            send(bytes, 0, cut);
            send(bytes, cut, bytes.length - cut);
            block += 2;
        }
        handler.processAll();
        assertEquals(2L * (group.length - 1), handler.blocks, "every block arrived once");
        assertEquals(group.length - 1, handler.haves, "every HAVE between them arrived");
        assertEquals(group.length - 1, handler.keepAlives);
        assertEquals(PeerConnection.State.ACTIVE, connection.state());
        assertTrue(handler.switches > 10, "the stream passed through many buffers: " + handler.switches);
    }

    @Test
    void everyReadSizeFromOneByteUpKeepsTheBlocksIntact() throws Exception
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int block = 0; block < 600; block += 2)
        {
            stream.write(group(block));
        }
        final byte[] bytes = stream.toByteArray();
        final SplittableRandom random = new SplittableRandom(5);
        for (int at = 0; at < bytes.length; )
        {
            final int n = Math.min(bytes.length - at, 1 + random.nextInt(3 * (BLOCK + 13)));
            send(bytes, at, n);
            at += n;
        }
        handler.processAll();
        assertEquals(600, handler.blocks);
    }

    @Test
    void aLengthPrefixBeyondTheLimitClosesTheConnectionAsSoonAsItsFourBytesAreIn() throws Exception
    {
        final byte[] good = group(0);
        send(good, 0, good.length);
        final byte[] hostile = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();
        for (int i = 0; i < 3; i++)
        {
            send(hostile, i, 1);
            assertEquals(PeerConnection.State.ACTIVE, connection.state(), "3 bytes say nothing yet");
        }
        remote.write(ByteBuffer.wrap(hostile, 3, 1));
        readUntil(() -> connection.state() == PeerConnection.State.CLOSED);
        assertEquals(CloseReason.PROTOCOL_VIOLATION, handler.closedFor);
        assertTrue(handler.closeDetail.contains("LENGTH_TOO_LARGE"), handler.closeDetail);
        handler.processAll(); // the blocks before it are intact
        assertEquals(2, handler.blocks);
    }

    @Test
    void aPieceLongerThanTheFrameLimitIsRefusedBeforeItsBodyIsBuffered() throws Exception
    {
        final byte[] hostile = ByteBuffer.allocate(13).putInt(9 + 8192).put(MessageType.PIECE).putInt(0).putInt(0)
            .array();
        remote.write(ByteBuffer.wrap(hostile));
        readUntil(() -> connection.state() == PeerConnection.State.CLOSED);
        assertEquals(CloseReason.PROTOCOL_VIOLATION, handler.closedFor);
        assertTrue(handler.closeDetail.contains("LENGTH_TOO_LARGE"), handler.closeDetail);
        assertEquals(0, handler.blocks);
    }

    @Test
    void aBlockPastItsPieceEndIsRefusedAndNothingOfItIsHandedOn() throws Exception
    {
        final byte[] hostile = piece(0, PIECE_LENGTH - BLOCK / 2, new byte[BLOCK]);
        send(hostile, 0, hostile.length);
        assertEquals(PeerConnection.State.CLOSED, connection.state());
        assertEquals(CloseReason.PROTOCOL_VIOLATION, handler.closedFor);
        assertTrue(handler.closeDetail.contains("BLOCK_OUT_OF_BOUNDS"), handler.closeDetail);
        assertEquals(0, handler.blocks);
    }

    @Test
    void whileTooManyBuffersWaitForTheDiskReadsWaitAndResumeOnceTheyAreProcessed() throws Exception
    {
        handler.lag = Integer.MAX_VALUE; // the "disk" processes nothing until told
        int block = 0;
        while (!connection.readStarved() && block < 2_000)
        {
            final byte[] bytes = group(block);
            remote.write(ByteBuffer.wrap(bytes));
            sent += bytes.length;
            for (int i = 0; i < 10 && !connection.readStarved(); i++)
            {
                read();
            }
            block += 2;
        }
        assertTrue(connection.readStarved(), "reads stop once " + MAX_RETIRED + " buffers wait for the disk");
        assertEquals(MAX_RETIRED, buffers.retiredCount());
        handler.processAll();
        readUntil(() -> received == sent);
        handler.processAll();
        assertEquals(block, handler.blocks, "nothing lost while reads waited");
    }

    @Test
    void aConnectionThatCarriesNoBlocksKeepsItsSmallBuffer() throws Exception
    {
        reopen(16 * 1024);
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++)
        {
            stream.write(ByteBuffer.allocate(9).putInt(5).put(MessageType.HAVE).putInt(i % PIECES).array());
        }
        final byte[] bytes = stream.toByteArray(); // 90,000 bytes of HAVEs, as a seed's connections carry requests
        final SplittableRandom random = new SplittableRandom(3);
        for (int at = 0; at < bytes.length; )
        {
            final int n = Math.min(bytes.length - at, 1 + random.nextInt(20_000));
            send(bytes, at, n);
            at += n;
        }
        assertEquals(10_000, handler.haves);
        assertEquals(16 * 1024, connection.readBufferCapacity(), "its buffer started over in place, not moved on");
    }

    @Test
    void aConnectionThatCarriesBlocksMovesOnToFullSizeBuffersOnceItLeavesItsFirst() throws Exception
    {
        reopen(16 * 1024);
        for (int block = 0; block < 100; block += 2)
        {
            final byte[] bytes = group(block);
            send(bytes, 0, bytes.length);
        }
        handler.processAll();
        assertEquals(100, handler.blocks, "every block arrived intact");
        assertEquals(16 * 1024, handler.smallestBuffer, "the first blocks were read into the small buffer");
        assertEquals(BUFFER, handler.largestBuffer, "the rest went to full-size ones");
        assertEquals(BUFFER, connection.readBufferCapacity());
    }

    @Test
    void aFrameLongerThanTheSmallBufferArrivesWholeInAFullSizeOne() throws Exception
    {
        reopen(4 * 1024);
        final byte[] big = piece(1, 0, contents(16, 4)); // blocks 16..19 as one 4 KiB block: a 4,109-byte frame
        send(big, 0, 3000); // the buffer holds the frame's start from its first byte
        send(big, 3000, big.length - 3000);
        final byte[] small = group(20);
        send(small, 0, small.length);
        final byte[] again = piece(2, 0, contents(32, 4)); // and one that starts part way into a buffer
        send(again, 0, again.length);
        handler.processAll();
        assertEquals(4, handler.blocks, "both long frames and the two blocks arrived intact");
        assertEquals(BUFFER, handler.largestBuffer);
        assertEquals(PeerConnection.State.ACTIVE, connection.state());
    }

    private void reopen(final int startBuffer) throws Exception
    {
        close();
        open(startBuffer);
    }

    /** Blocks {@code first}.. as one block of {@code count} x {@link #BLOCK} bytes. */
    private static byte[] contents(final int first, final int count)
    {
        final byte[] bytes = new byte[count * BLOCK];
        for (int i = 0; i < count; i++)
        {
            System.arraycopy(content(first + i), 0, bytes, i * BLOCK, BLOCK);
        }
        return bytes;
    }

    /** Two blocks with a HAVE and a keep-alive between them: blocks {@code first} and {@code first + 1}. */
    private static byte[] group(final int first) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(piece(first / 16, (first % 16) * BLOCK, content(first)));
        out.write(ByteBuffer.allocate(9).putInt(5).put(MessageType.HAVE).putInt(first).array());
        out.write(new byte[4]);
        out.write(piece((first + 1) / 16, ((first + 1) % 16) * BLOCK, content(first + 1)));
        return out.toByteArray();
    }

    private static byte[] piece(final int index, final int begin, final byte[] block)
    {
        return ByteBuffer.allocate(13 + block.length).putInt(9 + block.length).put(MessageType.PIECE).putInt(index)
            .putInt(begin).put(block).array();
    }

    private static byte[] content(final int block)
    {
        final byte[] bytes = new byte[BLOCK];
        new SplittableRandom(block).nextBytes(bytes);
        return bytes;
    }

    private void send(final byte[] bytes, final int from, final int n) throws IOException
    {
        final ByteBuffer out = ByteBuffer.wrap(bytes, from, n);
        while (out.hasRemaining())
        {
            remote.write(out);
        }
        sent += n;
        readUntil(() -> received == sent || connection.state() == PeerConnection.State.CLOSED);
    }

    private void readUntil(final java.util.function.BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean())
        {
            read();
            if (System.nanoTime() > deadline)
            {
                fail("reads did not get there: received " + received + " of " + sent);
            }
        }
    }

    private void read()
    {
        final int n = connection.onReadable(0);
        if (n > 0)
        {
            received += n;
        }
        if (connection.readStarved())
        {
            handler.processAll();
        }
    }

    /** A torrent that records what arrives, and plays the disk handlers for the block references it is given. */
    private final class Recorder implements PeerHandler
    {
        final ArrayDeque<Object[]> pending = new ArrayDeque<>();
        volatile long published = -1;
        volatile long processed = -1;
        int lag = 40;
        int blocks;
        int haves;
        int keepAlives;
        int switches;
        int smallestBuffer = Integer.MAX_VALUE;
        int largestBuffer;
        BlockMemory last;
        CloseReason closedFor;
        String closeDetail;

        @Override
        public void onPiece(final PeerConnection peer, final int index, final int begin, final DirectBuffer buf,
            final int offset, final int length)
        {
            final BlockMemory memory = peer.blockMemory(buf);
            assertNotNull(memory, "a block from the socket is handed on where it is, not copied");
            if (memory != last)
            {
                switches++;
                last = memory;
            }
            smallestBuffer = Math.min(smallestBuffer, memory.capacity());
            largestBuffer = Math.max(largestBuffer, memory.capacity());
            pending.add(new Object[] {memory, offset, length, index * 16 + begin / BLOCK, ++published});
            if (pending.size() > lag)
            {
                processOldest(pending.size() / 2);
            }
        }

        void processAll()
        {
            processOldest(pending.size());
        }

        private void processOldest(final int n)
        {
            for (int i = 0; i < n; i++)
            {
                final Object[] ref = pending.poll();
                final BlockMemory memory = (BlockMemory)ref[0];
                final byte[] bytes = new byte[(int)ref[2]];
                memory.view().getBytes((int)ref[1], bytes);
                assertArrayEquals(contents((int)ref[3], bytes.length / BLOCK), bytes,
                    "block " + ref[3] + " intact when processed");
                processed = (long)ref[4];
                blocks++;
            }
        }

        @Override
        public void onKeepAlive(final PeerConnection peer)
        {
            keepAlives++;
        }

        @Override
        public void onHave(final PeerConnection peer, final int index)
        {
            haves++;
        }

        @Override
        public boolean onHandshake(final PeerConnection peer, final byte[] infoHash, final byte[] peerId)
        {
            return true;
        }

        @Override
        public void onClosed(final PeerConnection peer, final CloseReason reason, final String detail)
        {
            closedFor = reason;
            closeDetail = detail;
        }

        @Override
        public int downloadAllowance(final PeerConnection peer)
        {
            return Integer.MAX_VALUE;
        }

        @Override
        public void onActive(final PeerConnection peer)
        {
        }

        @Override
        public boolean mayUpload(final PeerConnection peer, final int bytes)
        {
            return true;
        }

        @Override
        public void onDownloaded(final PeerConnection peer, final int bytes)
        {
        }

        @Override
        public void onBlockSent(final PeerConnection peer, final int length)
        {
        }

        @Override
        public void onChoke(final PeerConnection peer)
        {
        }

        @Override
        public void onUnchoke(final PeerConnection peer)
        {
        }

        @Override
        public void onInterested(final PeerConnection peer)
        {
        }

        @Override
        public void onNotInterested(final PeerConnection peer)
        {
        }

        @Override
        public void onBitfield(final PeerConnection peer, final DirectBuffer buf, final int offset, final int length)
        {
        }

        @Override
        public void onRequest(final PeerConnection peer, final int index, final int begin, final int length)
        {
        }

        @Override
        public void onCancel(final PeerConnection peer, final int index, final int begin, final int length)
        {
        }

        @Override
        public void onHaveAll(final PeerConnection peer)
        {
        }

        @Override
        public void onRejectRequest(final PeerConnection peer, final int index, final int begin, final int length)
        {
        }

        @Override
        public void onExtended(final PeerConnection peer, final int extendedId, final DirectBuffer buf,
            final int offset, final int length)
        {
        }
    }

    private static final class NoFlush implements FlushScheduler
    {
        @Override
        public void flushLater(final PeerConnection peer)
        {
        }

        @Override
        public void flushWhenAllowed(final PeerConnection peer)
        {
        }

        @Override
        public void readWhenAllowed(final PeerConnection peer)
        {
        }
    }
}
