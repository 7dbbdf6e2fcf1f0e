package io.spate.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.agent.PeerSnapshot;
import io.spate.webseed.WebSeedState;

import java.util.List;

/** A torrent's connections and web seeds in the detail JSON, from the snapshots its network agent took. */
final class PeersJson
{
    private PeersJson()
    {
    }

    static void peers(final ArrayNode array, final List<PeerSnapshot> peers)
    {
        for (final PeerSnapshot peer : peers)
        {
            final ObjectNode node = array.addObject()
                .put("address", peer.address() + ":" + peer.port())
                .put("client", peer.client())
                .put("direction", peer.outgoing() ? "outgoing" : "incoming")
                .put("source", peer.source() == null ? "unknown" : peer.source().label())
                .put("state", peer.state());
            node.putObject("flags")
                .put("am_choking", peer.amChoking())
                .put("am_interested", peer.amInterested())
                .put("peer_choking", peer.peerChoking())
                .put("peer_interested", peer.peerInterested())
                .put("snubbed", peer.snubbed())
                .put("seed", peer.seed())
                .put("suspect", peer.suspect())
                .put("banned", peer.banned())
                .put("super_seed_target", peer.superSeedPiece() >= 0);
            if (peer.superSeedPiece() >= 0)
            {
                node.put("super_seed_piece", peer.superSeedPiece());
            }
            node.put("download_rate", peer.downloadRate())
                .put("upload_rate", peer.uploadRate())
                .put("downloaded", peer.downloaded())
                .put("uploaded", peer.uploaded())
                .put("progress", Math.round(peer.progress() * 10_000.0) / 10_000.0)
                .put("pieces", peer.piecesHave())
                .put("requests_in_flight", peer.requestsInFlight())
                .put("requests_queued", peer.requestsQueued());
        }
    }

    static void webSeeds(final ArrayNode array, final List<WebSeedState> seeds)
    {
        for (final WebSeedState seed : seeds)
        {
            array.addObject()
                .put("url", seed.url())
                .put("state", seed.state())
                .put("fetches_in_flight", seed.fetchesInFlight())
                .put("failures", seed.failures())
                .put("bad_pieces", seed.badPieces())
                .put("retry_in_ms", seed.retryInMs());
        }
    }
}
