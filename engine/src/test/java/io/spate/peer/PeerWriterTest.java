package io.spate.peer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerWriterTest
{
    private static final byte[] MESSAGE = {0, 0, 0, 1, 2}; // INTERESTED

    @Test
    void queuedMessagesGoOutAndAReleasedWriterTakesAndSendsNothing() throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                 .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept())
        {
            final PeerWriter writer = new PeerWriter(client);
            append(writer, MESSAGE);
            assertEquals(MESSAGE.length, flush(writer));
            final ByteBuffer received = ByteBuffer.allocate(MESSAGE.length);
            while (received.hasRemaining())
            {
                accepted.read(received);
            }
            assertArrayEquals(MESSAGE, received.array());

            append(writer, MESSAGE); // queued, never sent: the connection closes first
            writer.release();
            assertNull(writer.reserve(1), "a released writer has no room");
            assertEquals(0, flush(writer));
            writer.release(); // a second close frees nothing twice
            assertEquals(0, writer.end());
        }
    }

    @Test
    void aSlowConnectionsSendBufferIsSizedToItsRateOnceSettledAndAFastOneIsLeftToTheKernel() throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                 .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel slow = SocketChannel.open(server.getLocalAddress());
             SocketChannel slowAccepted = server.accept();
             SocketChannel fast = SocketChannel.open(server.getLocalAddress());
             SocketChannel fastAccepted = server.accept())
        {
            final SendBufferSizer sizer = new SendBufferSizer();
            final PeerWriter slowWriter = new PeerWriter(slow);
            final int before = slow.getOption(StandardSocketOptions.SO_SNDBUF);
            slowWriter.uploadRateSampled(1_000_000, sizer);
            slowWriter.uploadRateSampled(1_000_000, sizer);
            assertEquals(before, slow.getOption(StandardSocketOptions.SO_SNDBUF), "not before it settles");
            slowWriter.uploadRateSampled(1_000_000, sizer);
            // Linux doubles the value set (socket(7)); other kernels keep it
            final int sized = slow.getOption(StandardSocketOptions.SO_SNDBUF);
            assertTrue(sized == 100_000 || sized == 200_000, "a tenth of a second of 1 MB/s, got " + sized);

            final PeerWriter fastWriter = new PeerWriter(fast);
            final int autotuned = fast.getOption(StandardSocketOptions.SO_SNDBUF);
            for (int i = 0; i < 5; i++)
            {
                fastWriter.uploadRateSampled(500_000_000, sizer);
            }
            assertEquals(autotuned, fast.getOption(StandardSocketOptions.SO_SNDBUF), "loopback speed: untouched");
        }
    }

    private static void append(final PeerWriter writer, final byte[] message)
    {
        final UnsafeBuffer buffer = writer.reserve(message.length);
        assertNotNull(buffer);
        buffer.putBytes(writer.end(), message);
        writer.commit(message.length);
    }

    private static long flush(final PeerWriter writer) throws IOException
    {
        return writer.flush(new UploadQueue(4), false, null, length -> { }, bytes -> true);
    }
}
