package io.spate.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A scripted peer on a blocking socket, for hostile-peer tests: it speaks just enough of the protocol to reach the
 * message it wants to break.
 */
public final class FakePeer implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private FakePeer(final Socket socket) throws IOException
    {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static FakePeer connect(final InetSocketAddress address) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(address, 5_000);
        return new FakePeer(socket);
    }

    public static FakePeer wrap(final Socket socket) throws IOException
    {
        return new FakePeer(socket);
    }

    public static byte[] handshake(final byte[] infoHash, final byte[] peerId, final boolean fast)
    {
        final ByteBuffer b = ByteBuffer.allocate(68);
        b.put((byte)19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        final byte[] reserved = new byte[8];
        if (fast)
        {
            reserved[7] |= 0x04;
        }
        b.put(reserved).put(infoHash).put(peerId);
        return b.array();
    }

    public static byte[] peerId(final String tag)
    {
        final byte[] id = new byte[20];
        final byte[] t = ("-FK0001-" + tag + "000000000000").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, id, 0, 20);
        return id;
    }

    public void send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Sends a frame: length prefix, id, payload. */
    public void sendMessage(final int id, final byte[] payload) throws IOException
    {
        final ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
        b.putInt(1 + payload.length).put((byte)id).put(payload);
        send(b.array());
    }

    /** Sends an EXTENDED message (BEP 10): id 20, the extended id, then the payload. */
    public void sendExtended(final int extendedId, final byte[] payload) throws IOException
    {
        final byte[] body = new byte[1 + payload.length];
        body[0] = (byte)extendedId;
        System.arraycopy(payload, 0, body, 1, payload.length);
        sendMessage(20, body);
    }

    /** @return the payload after the extended id of the next EXTENDED message with that id (others skipped). */
    public byte[] nextExtended(final int extendedId) throws IOException
    {
        final byte[][] payload = new byte[1][];
        while (true)
        {
            if (readMessage(payload) == 20 && (payload[0][0] & 0xFF) == extendedId)
            {
                return java.util.Arrays.copyOfRange(payload[0], 1, payload[0].length);
            }
        }
    }

    public static byte[] ints(final int... values)
    {
        final ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (final int v : values)
        {
            b.putInt(v);
        }
        return b.array();
    }

    /** Reads the 68-byte handshake the other side sends. */
    public byte[] readHandshake() throws IOException
    {
        final byte[] hs = new byte[68];
        in.readFully(hs);
        return hs;
    }

    /** Reads one frame; returns its id (-1 for keep-alive) and fills {@code payload} holder. */
    public int readMessage(final byte[][] payload) throws IOException
    {
        final int length = in.readInt();
        if (length == 0)
        {
            payload[0] = new byte[0];
            return -1;
        }
        final int id = in.readUnsignedByte();
        final byte[] body = new byte[length - 1];
        in.readFully(body);
        payload[0] = body;
        return id;
    }

    /** @return true if the other side closes the connection within the time given (data before it is skipped). */
    public boolean closedByPeerWithin(final long millis) throws IOException
    {
        final long deadline = System.currentTimeMillis() + millis;
        final InputStream raw = socket.getInputStream();
        final byte[] sink = new byte[65536];
        while (System.currentTimeMillis() < deadline)
        {
            socket.setSoTimeout((int)Math.max(1, deadline - System.currentTimeMillis()));
            try
            {
                if (raw.read(sink) < 0)
                {
                    return true;
                }
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
            catch (final IOException ex)
            {
                return true; // reset
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
