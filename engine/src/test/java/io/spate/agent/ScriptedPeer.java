package io.spate.agent;

import io.spate.wire.Handshake;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The other end of a connection with a harnessed agent: a non-blocking loopback socket the test scripts frame by
 * frame. Every wait pumps the agent (the test thread is the agent's thread), so nothing here needs another thread.
 */
final class ScriptedPeer implements AutoCloseable
{
    /** Message ids, as on the wire. */
    static final int CHOKE = 0;
    static final int UNCHOKE = 1;
    static final int INTERESTED = 2;
    static final int NOT_INTERESTED = 3;
    static final int HAVE = 4;
    static final int BITFIELD = 5;
    static final int REQUEST = 6;
    static final int PIECE = 7;
    static final int CANCEL = 8;
    static final int HAVE_ALL = 0x0E;
    static final int REJECT_REQUEST = 0x10;
    static final int KEEP_ALIVE = -1;

    /** One frame the agent sent: its id ({@link #KEEP_ALIVE} for none) and payload. */
    record Frame(int id, byte[] payload)
    {
        int intAt(final int offset)
        {
            return ByteBuffer.wrap(payload, offset, 4).getInt();
        }
    }

    private final AgentHarness harness;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
    private boolean closed;

    private ScriptedPeer(final AgentHarness harness, final SocketChannel channel) throws IOException
    {
        this.harness = harness;
        this.channel = channel;
        channel.configureBlocking(false);
    }

    InetSocketAddress localAddress() throws IOException
    {
        return (InetSocketAddress)channel.getLocalAddress();
    }

    /** A peer that dials the agent. */
    static ScriptedPeer dial(final AgentHarness harness) throws IOException
    {
        return new ScriptedPeer(harness, SocketChannel.open(harness.listenAddress()));
    }

    /** A peer the agent dials: {@code listener} must be the address the test gave the agent. */
    static ScriptedPeer accept(final AgentHarness harness, final ServerSocketChannel listener) throws IOException
    {
        listener.configureBlocking(false);
        final SocketChannel[] accepted = new SocketChannel[1];
        harness.pumpUntil(() ->
        {
            try
            {
                accepted[0] = listener.accept();
                return accepted[0] != null;
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
        }, "the agent to dial");
        return new ScriptedPeer(harness, accepted[0]);
    }

    /** A tag starting with '-' is a whole client id (e.g. "-SP0100-first": a Spate peer), else "-SC0001-" + tag. */
    static byte[] peerId(final String tag)
    {
        final String id = tag.startsWith("-") ? tag : "-SC0001-" + tag;
        return Arrays.copyOf((id + "0000000000000").getBytes(StandardCharsets.US_ASCII), 20);
    }

    void handshake(final byte[] infoHash, final String tag, final boolean fast, final boolean extended)
        throws IOException
    {
        handshake(infoHash, tag, fast, extended, false);
    }

    void handshake(final byte[] infoHash, final String tag, final boolean fast, final boolean extended,
        final boolean dht) throws IOException
    {
        final UnsafeBuffer hs = new UnsafeBuffer(new byte[Handshake.LENGTH]);
        Handshake.encode(hs, 0, infoHash, peerId(tag), fast, extended, dht);
        send(hs.byteArray());
    }

    void send(final byte[] bytes) throws IOException
    {
        final ByteBuffer out = ByteBuffer.wrap(bytes);
        final long deadline = System.nanoTime() + 5 * AgentHarness.SECOND_NS;
        while (out.hasRemaining())
        {
            channel.write(out);
            harness.pump();
            if (System.nanoTime() > deadline)
            {
                fail("the agent does not read");
            }
        }
    }

    void message(final int id, final byte[] payload) throws IOException
    {
        send(ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put((byte)id).put(payload).array());
    }

    void message(final int id, final int... ints) throws IOException
    {
        final ByteBuffer payload = ByteBuffer.allocate(4 * ints.length);
        for (final int v : ints)
        {
            payload.putInt(v);
        }
        message(id, payload.array());
    }

    /** @return the agent's 68-byte handshake. */
    byte[] readHandshake()
    {
        awaitBytes(Handshake.LENGTH);
        return take(Handshake.LENGTH);
    }

    /** @return the next frame the agent sends (pumping until it has). */
    Frame next()
    {
        awaitBytes(4);
        final int length = in.getInt(0);
        awaitBytes(4 + length);
        final byte[] frame = take(4 + length);
        return length == 0 ? new Frame(KEEP_ALIVE, new byte[0]) :
            new Frame(frame[4] & 0xFF, Arrays.copyOfRange(frame, 5, frame.length));
    }

    /** @return the next frame with this id; frames before it are skipped. */
    Frame next(final int id)
    {
        for (int skipped = 0; skipped < 10_000; skipped++)
        {
            final Frame frame = next();
            if (frame.id() == id)
            {
                return frame;
            }
        }
        throw new AssertionError("no message " + id + " in 10,000 frames");
    }

    /** @return every frame the agent sends within a few duty cycles. */
    List<Frame> drain()
    {
        for (int i = 0; i < 20; i++)
        {
            harness.pump();
            readAvailable();
        }
        final List<Frame> frames = new ArrayList<>();
        while (in.position() >= 4 && in.position() >= 4 + in.getInt(0))
        {
            frames.add(next());
        }
        return frames;
    }

    /** @return true once the agent has closed the connection (pumping until it has, or failing). */
    boolean awaitClosed()
    {
        harness.pumpUntil(() -> readAvailable() < 0, "the agent to close the connection");
        return true;
    }

    static void assertFrame(final Frame frame, final int id, final int... ints)
    {
        assertEquals(id, frame.id(), "message id");
        for (int i = 0; i < ints.length; i++)
        {
            assertEquals(ints[i], frame.intAt(4 * i), "field " + i);
        }
    }

    private void awaitBytes(final int n)
    {
        harness.pumpUntil(() -> readAvailable() < 0 || in.position() >= n, n + " bytes from the agent");
        if (in.position() < n)
        {
            fail("the agent closed the connection");
        }
    }

    /** @return bytes buffered, or -1 once the agent closed the connection. */
    private int readAvailable()
    {
        try
        {
            if (!closed && channel.read(in) < 0)
            {
                closed = true;
            }
        }
        catch (final IOException ex)
        {
            closed = true;
        }
        return closed ? -1 : in.position();
    }

    private byte[] take(final int n)
    {
        final byte[] bytes = new byte[n];
        in.flip();
        in.get(bytes);
        in.compact();
        return bytes;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
