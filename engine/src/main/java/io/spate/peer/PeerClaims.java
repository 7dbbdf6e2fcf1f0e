package io.spate.peer;

import io.spate.picker.Bitfield;
import io.spate.wire.ExtensionHandshake;

import java.net.InetSocketAddress;

/**
 * What a peer has told us about itself, all of it untrusted: the pieces it has, whether it chokes us and wants our
 * pieces, which protocol extensions it speaks and under which ids, how many requests it takes, and where it listens.
 * Owned by its connection; the torrent's handlers record what each validated message says.
 */
public final class PeerClaims
{
    /** Requests we keep in flight to a peer that has not told us its {@code reqq} (libtorrent's default). */
    public static final int DEFAULT_REQUEST_QUEUE = 250;

    private final Bitfield pieces;
    private boolean seed;
    private boolean choking = true;
    private boolean interested;
    private boolean fast;
    private boolean extended;
    private boolean dht;
    private boolean portSeen;
    private int requestQueue = DEFAULT_REQUEST_QUEUE;
    private int metadataExtensionId;
    private int pexExtensionId;
    private InetSocketAddress listenAddress;
    /** The BEP 10 handshake's {@code v}, or null. */
    private String client;

    PeerClaims(final int pieceCount, final InetSocketAddress listenAddress)
    {
        this.pieces = new Bitfield(pieceCount);
        this.listenAddress = listenAddress;
    }

    /** The pieces the peer has (its bitfield, HAVE_ALL and HAVEs). Changed only through this class. */
    public Bitfield pieces()
    {
        return pieces;
    }

    public boolean isSeed()
    {
        return seed;
    }

    /** @return true when the HAVE is news (the peer had not had the piece). */
    public boolean have(final int piece)
    {
        if (seed || pieces.get(piece))
        {
            return false;
        }
        pieces.set(piece);
        return true;
    }

    /** The peer has every piece (HAVE_ALL, a full bitfield, or its last HAVE). */
    public void haveAll()
    {
        pieces.setAll();
        seed = true;
    }

    /** A BITFIELD replaces what we knew. @return true when it is full. */
    public boolean bitfield(final org.agrona.DirectBuffer buf, final int offset, final int length)
    {
        pieces.readWire(buf, offset, length);
        return pieces.isComplete();
    }

    public boolean choking()
    {
        return choking;
    }

    public void choking(final boolean choking)
    {
        this.choking = choking;
    }

    /** The peer wants pieces we have. */
    public boolean interested()
    {
        return interested;
    }

    public void interested(final boolean interested)
    {
        this.interested = interested;
    }

    /** The peer speaks the fast extension (BEP 6): it takes REJECT_REQUEST, HAVE_ALL and HAVE_NONE. */
    public boolean fast()
    {
        return fast;
    }

    /** The peer speaks the extension protocol (BEP 10). */
    public boolean extended()
    {
        return extended;
    }

    void handshake(final boolean fast, final boolean extended, final boolean dht)
    {
        this.fast = fast;
        this.extended = extended;
        this.dht = dht;
    }

    /** The peer runs a DHT node (BEP 5's handshake bit). */
    public boolean dht()
    {
        return dht;
    }

    /**
     * Whether this PORT message is the first: a peer's DHT node is pinged once per connection, so a peer repeating
     * PORT cannot turn us into a pinger of its choosing.
     */
    public boolean firstPort()
    {
        final boolean first = !portSeen;
        portSeen = true;
        return first;
    }

    /** The peer's BEP 10 handshake arrived: its request queue, its extension ids and, when it dialled us, its port. */
    public void extensionHandshake(final ExtensionHandshake handshake, final InetSocketAddress dialledFrom)
    {
        if (handshake.requestQueue() > 0)
        {
            requestQueue = handshake.requestQueue();
        }
        metadataExtensionId = handshake.extensionId(ExtensionHandshake.UT_METADATA);
        pexExtensionId = handshake.extensionId(ExtensionHandshake.UT_PEX);
        client = handshake.client();
        if (dialledFrom != null && handshake.port() > 0 && dialledFrom.getAddress() != null)
        {
            listenAddress = new InetSocketAddress(dialledFrom.getAddress(), handshake.port());
        }
    }

    /**
     * Most requests the peer takes at once: its BEP 10 {@code reqq}, or a conservative default until it says;
     * requests beyond it may be dropped silently by some clients.
     */
    public int requestQueue()
    {
        return requestQueue;
    }

    /** The extended id the peer takes BEP 9 ut_metadata messages on, 0 = none. */
    public int metadataExtensionId()
    {
        return metadataExtensionId;
    }

    /** The extended id the peer takes BEP 11 ut_pex messages on, 0 = none. */
    public int pexExtensionId()
    {
        return pexExtensionId;
    }

    /** @return the client the peer names in its BEP 10 handshake ({@code v}), or null when it named none. */
    public String client()
    {
        return client;
    }

    /** Where the peer accepts connections: the address we dialled, or its IP with the port it told; or null. */
    public InetSocketAddress listenAddress()
    {
        return listenAddress;
    }
}
