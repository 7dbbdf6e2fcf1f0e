package io.spate.agent;

import io.spate.metainfo.Metainfo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static io.spate.agent.ScriptedPeer.BITFIELD;
import static io.spate.agent.ScriptedPeer.HAVE_ALL;
import static io.spate.agent.ScriptedPeer.INTERESTED;
import static io.spate.agent.ScriptedPeer.PIECE;
import static io.spate.agent.ScriptedPeer.REQUEST;
import static io.spate.agent.ScriptedPeer.UNCHOKE;

/** Scripted seeds a harnessed leecher dials, for the download tests: they answer its requests from the content. */
final class DialledSeeds implements AutoCloseable
{
    private final AgentHarness harness;
    private final TorrentSession leech;
    private final Metainfo torrent;
    private final byte[] content;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();

    DialledSeeds(final AgentHarness harness, final TorrentSession leech, final Metainfo torrent, final byte[] content)
    {
        this.harness = harness;
        this.leech = leech;
        this.torrent = torrent;
        this.content = content;
    }

    /** A seed the agent dials, which has said HAVE_ALL and UNCHOKE; the agent's INTERESTED is consumed. */
    ScriptedPeer unchoking(final String tag) throws Exception
    {
        final ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listeners.add(listener);
        harness.agent.addPeers(leech, List.of((InetSocketAddress)listener.getLocalAddress()));
        final ScriptedPeer seed = ScriptedPeer.accept(harness, listener);
        seed.readHandshake();
        seed.handshake(torrent.infoHash(), tag, true, false);
        seed.message(HAVE_ALL);
        seed.next(INTERESTED);
        seed.message(UNCHOKE);
        return seed;
    }

    /** A peer the agent dials that has only {@code pieces} (a BITFIELD) and unchokes; the agent's INTERESTED is consumed. */
    ScriptedPeer unchokingWith(final String tag, final Set<Integer> pieces) throws Exception
    {
        final ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listeners.add(listener);
        harness.agent.addPeers(leech, List.of((InetSocketAddress)listener.getLocalAddress()));
        final ScriptedPeer peer = ScriptedPeer.accept(harness, listener);
        peer.readHandshake();
        peer.handshake(torrent.infoHash(), tag, true, false);
        final byte[] bitfield = new byte[(torrent.pieceCount() + 7) / 8];
        for (final int piece : pieces)
        {
            bitfield[piece >> 3] |= (byte)(0x80 >>> (piece & 7));
        }
        peer.message(BITFIELD, bitfield);
        peer.next(INTERESTED);
        peer.message(UNCHOKE);
        return peer;
    }

    /** The address the agent dialled for the {@code n}th seed made here. */
    InetSocketAddress address(final int n) throws IOException
    {
        return (InetSocketAddress)listeners.get(n).getLocalAddress();
    }

    /** The REQUESTs the peer has been sent so far: {piece, begin, length} each. */
    static List<int[]> requests(final ScriptedPeer peer)
    {
        final List<int[]> requests = new ArrayList<>();
        for (final ScriptedPeer.Frame frame : peer.drain())
        {
            if (frame.id() == REQUEST)
            {
                requests.add(new int[] {frame.intAt(0), frame.intAt(4), frame.intAt(8)});
            }
        }
        return requests;
    }

    /** Answers a request with the content's bytes, the first one flipped when {@code corrupt}. */
    void send(final ScriptedPeer seed, final int[] request, final boolean corrupt) throws IOException
    {
        final int from = request[0] * torrent.pieceLength() + request[1];
        final byte[] block = Arrays.copyOfRange(content, from, from + request[2]);
        if (corrupt)
        {
            block[0] ^= 0x55;
        }
        seed.message(PIECE, ByteBuffer.allocate(8 + block.length).putInt(request[0]).putInt(request[1]).put(block)
            .array());
    }

    @Override
    public void close() throws IOException
    {
        for (final ServerSocketChannel listener : listeners)
        {
            listener.close();
        }
    }
}
