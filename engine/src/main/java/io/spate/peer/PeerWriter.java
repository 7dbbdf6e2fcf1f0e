package io.spate.peer;

import io.spate.storage.TorrentStorage;
import io.spate.wire.MessageEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The sending half of a connection: framed messages queued in a direct buffer, then PIECE replies sent zero-copy (the
 * 13-byte header from a direct buffer, then {@code transferTo} from the file, resumed across partial writes). Owned
 * by the connection; nothing here knows the protocol's state beyond "may blocks go out now".
 */
final class PeerWriter
{
    private static final int CAPACITY = 64 * 1024;
    private static final ByteBuffer RELEASED = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    /** Not aligned (Agrona's aligned buffers are slices, which cannot be freed): the kernel copies out of it anyway. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY);
    private final UnsafeBuffer view = new UnsafeBuffer(buffer);
    private final ByteBuffer pieceHeader = BufferUtil.allocateDirectAligned(64, 64);
    private final UnsafeBuffer pieceHeaderView = new UnsafeBuffer(pieceHeader);
    private int sent;
    private int length;

    // the block at the head of the upload queue, while it goes out
    private boolean sendingHeader;
    private boolean sendingBody;
    /** Nagle is on while a flush sends PIECE replies (see {@link #cork()}). */
    private boolean corked;
    private int sendPiece;
    private int sendBegin;
    private int sendLength;
    private int sendDone;
    /** The last flush stopped at a block its rate limit did not admit. */
    private boolean heldBack;
    /** SO_SNDBUF as last set, 0 while the kernel autotunes it; and the seconds uploading slowly so far. */
    private int sendBufferBytes;
    private int slowSamples;

    PeerWriter(final SocketChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Frees the message buffer now, when the connection closes, not when a collection finds it: a swarm's duplicate
     * connections, closed right after their handshake, left theirs to the collector, which a small heap sees seldom
     * (a 1 GiB swarm's seed held 35 MiB of them at its peak, perf-results/memory/SUMMARY.md). The writer is empty
     * afterwards: a message reserved then finds it full, a flush writes nothing.
     */
    void release()
    {
        final ByteBuffer direct = buffer;
        if (direct == RELEASED)
        {
            return;
        }
        buffer = RELEASED;
        view.wrap(RELEASED);
        sent = 0;
        length = 0;
        BufferUtil.free(direct);
    }

    /** @return the buffer to append a message of up to {@code n} bytes at {@link #end()}, or null when it is full. */
    UnsafeBuffer reserve(final int n)
    {
        if (length + n <= view.capacity())
        {
            return view;
        }
        // move the unsent tail to the front; a peer that lets 64 KiB of messages pile up is not reading
        final int unsent = length - sent;
        if (unsent > 0 && sent > 0)
        {
            view.putBytes(0, view, sent, unsent);
        }
        sent = 0;
        length = unsent;
        return length + n <= view.capacity() ? view : null;
    }

    /** Where the next message goes in the buffer {@link #reserve} returned. */
    int end()
    {
        return length;
    }

    void commit(final int n)
    {
        length += n;
    }

    /**
     * Asks the selector for writability only while something is still to go out (bytes or a part-sent block), and
     * for readability unless a download limit holds reads back.
     */
    void updateInterest(final SelectionKey key, final boolean reading)
    {
        final boolean blocked = length > sent || sendingHeader || sendingBody;
        final int ops = (reading ? SelectionKey.OP_READ : 0) | (blocked ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops)
        {
            key.interestOps(ops);
        }
    }

    /**
     * Writes queued messages, then blocks from {@code uploads} (when {@code mayUpload}, and as far as {@code limit}
     * admits each) until the socket would block.
     *
     * @return bytes written to the socket; {@code onBlockSent} hears of each block that went out whole.
     */
    long flush(final UploadQueue uploads, final boolean mayUpload, final TorrentStorage storage,
        final BlockSentListener onBlockSent, final UploadLimit limit) throws IOException
    {
        heldBack = false;
        long total = 0;
        try
        {
            while (true)
            {
                if (sendingHeader || sendingBody)
                {
                    total += continueBlock(storage, onBlockSent);
                    if (sendingHeader || sendingBody)
                    {
                        break;
                    }
                    continue;
                }
                if (length > sent)
                {
                    buffer.limit(length).position(sent);
                    final int n = channel.write(buffer);
                    sent += n;
                    total += n;
                    if (sent < length)
                    {
                        break;
                    }
                    sent = 0;
                    length = 0;
                    continue;
                }
                if (mayUpload && !uploads.isEmpty())
                {
                    if (!limit.admit(uploads.headLength()))
                    {
                        heldBack = true;
                        break;
                    }
                    cork();
                    startBlock(uploads);
                    continue;
                }
                break;
            }
        }
        finally
        {
            uncork();
        }
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
        if (corked && channel.isOpen())
        {
            corked = false;
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    private void startBlock(final UploadQueue uploads)
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

    private long continueBlock(final TorrentStorage storage, final BlockSentListener onBlockSent) throws IOException
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
            onBlockSent.onBlockSent(sendLength);
        }
        return total;
    }

    boolean heldBack()
    {
        return heldBack;
    }

    /** Once a second: sizes the socket's send buffer to the rate we upload at, as {@code sizer} says. */
    void uploadRateSampled(final long uploadRate, final SendBufferSizer sizer)
    {
        slowSamples = uploadRate > 0 && uploadRate < SendBufferSizer.FAST_BYTES_PER_SECOND ? slowSamples + 1 : 0;
        final int bytes = sizer.size(uploadRate, slowSamples, sendBufferBytes);
        if (bytes > 0 && channel.isOpen())
        {
            try
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
                sendBufferBytes = bytes;
            }
            catch (final IOException closing)
            {
                // the connection is closing: its reader or writer will see the error and close it
            }
        }
    }

    /** Admits a block to go out, or holds it back (a rate limit). */
    interface UploadLimit
    {
        boolean admit(int bytes);
    }

    /** Told of each block that went out whole. */
    interface BlockSentListener
    {
        void onBlockSent(int length);
    }
}
