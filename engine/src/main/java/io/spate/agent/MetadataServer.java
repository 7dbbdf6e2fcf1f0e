package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.wire.MetadataMessage;
import org.agrona.DirectBuffer;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Serves a torrent's info dictionary to peers that joined from a magnet link (BEP 9 {@code ut_metadata}), so
 * libtorrent, qBittorrent, aria2 or a Spate magnet leecher can start from a Spate peer alone. Runs on the owning
 * agent's thread; a few messages per connection, so it may allocate.
 * <p>
 * Private torrents (BEP 27) do not offer it: their info dictionary is only for those who were given the .torrent.
 * A peer may ask for each piece a few times over (BEP 9's flood protection); past that, and when its send buffer
 * has no room for a piece, it gets a reject.
 */
final class MetadataServer
{
    /** Requests a peer may make per metadata piece before it is rejected. */
    private static final int REQUESTS_PER_PIECE = 4;

    private final byte[] rawInfo;
    private final int pieces;
    /** ut_metadata requests each peer has made of us (flood protection); a few peers ever ask. */
    private final Map<PeerConnection, Integer> requestsBy = new IdentityHashMap<>();

    MetadataServer(final Metainfo metainfo)
    {
        this.rawInfo = metainfo.isPrivate() ? null : metainfo.rawInfo();
        this.pieces = rawInfo == null ? 0 : MetadataMessage.pieceCount(rawInfo.length);
    }

    /** @return the {@code metadata_size} to put in our extension handshake, 0 when we offer no metadata. */
    long metadataSize()
    {
        return rawInfo == null ? 0 : rawInfo.length;
    }

    /**
     * Answers one ut_metadata message from {@code peer}: a request gets the piece or a reject; data and rejects
     * (we never ask) and unknown types are ignored, as BEP 9 says. A payload that is not a ut_metadata dictionary
     * is ignored too: the extension is optional and harms nothing else.
     */
    void onMessage(final PeerConnection peer, final DirectBuffer buf, final int offset, final int length)
    {
        final int theirId = peer.claims().metadataExtensionId();
        if (rawInfo == null || theirId == 0 || length > MetadataMessage.MAX_MESSAGE_LENGTH)
        {
            return;
        }
        final byte[] payload = new byte[length];
        buf.getBytes(offset, payload);
        final MetadataMessage message = MetadataMessage.decode(payload, 0, length);
        if (message == null || message.type() != MetadataMessage.REQUEST)
        {
            return;
        }
        final int piece = message.piece();
        final int from = piece * MetadataMessage.PIECE_LENGTH;
        if (piece >= pieces || requestsBy.merge(peer, 1, Integer::sum) > pieces * REQUESTS_PER_PIECE ||
            !peer.sendExtended(theirId, MetadataMessage.dataHeader(piece, rawInfo.length), rawInfo, from,
                Math.min(MetadataMessage.PIECE_LENGTH, rawInfo.length - from)))
        {
            if (!peer.sendExtended(theirId, MetadataMessage.reject(piece), null, 0, 0))
            {
                peer.close(CloseReason.SEND_BUFFER_OVERFLOW, "no room for a metadata reject");
            }
        }
    }

    void peerLeft(final PeerConnection peer)
    {
        requestsBy.remove(peer);
    }
}
