package io.spate.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.agent.TorrentHandle;
import io.spate.agent.TorrentStats;
import io.spate.magnet.MagnetLink;
import io.spate.metainfo.FileEntry;
import io.spate.metainfo.FilePriorities;
import io.spate.metainfo.Metainfo;
import io.spate.service.ManagedTorrent;
import io.spate.service.ServiceJson;
import io.spate.service.TorrentEntry;

import java.util.Base64;
import java.util.BitSet;

/**
 * The JSON the API gives of a torrent: a summary for lists, and the detail with files, pieces, trackers, peers and web
 * seeds.
 */
final class TorrentJson
{
    private TorrentJson()
    {
    }

    static ObjectNode summary(final ManagedTorrent torrent)
    {
        final ObjectNode node = ServiceJson.MAPPER.createObjectNode();
        final TorrentEntry entry = torrent.entry();
        final Metainfo metainfo = torrent.metainfo();
        final TorrentHandle handle = torrent.handle();
        node.put("info_hash", torrent.infoHash());
        node.put("name", metainfo != null ? metainfo.name() : displayName(entry));
        node.put("state", torrent.state().name().toLowerCase(java.util.Locale.ROOT));
        final long size = metainfo != null ? metainfo.totalLength() : 0;
        final long verified = torrent.verifiedBytes();
        node.put("size", size);
        node.put("verified", verified);
        // with files skipped, progress and eta count the wanted files' bytes (as libtorrent's total_wanted)
        final long wanted = handle != null ? handle.stats().wantedBytes.get() :
            metainfo == null ? 0 : wantedLength(entry, metainfo);
        final long wantedVerified = torrent.wantedVerifiedBytes();
        node.put("wanted", wanted);
        node.put("wanted_verified", Math.min(wanted, wantedVerified));
        node.put("progress", wanted == 0 ? (size == 0 ? 0.0 : 1.0) :
            Math.round(Math.min(wanted, wantedVerified) * 10_000.0 / wanted) / 10_000.0);
        if (handle != null)
        {
            final TorrentStats stats = handle.stats();
            final long downloadRate = stats.downloadRate.get();
            node.put("downloaded", stats.downloadedBytes.get());
            node.put("uploaded", stats.uploadedBytes.get());
            node.put("download_rate", downloadRate);
            node.put("upload_rate", stats.uploadRate.get());
            node.put("peers", stats.peersConnected.get());
            node.put("hash_failures", stats.hashFailures.get());
            node.put("peers_banned", stats.peersBanned.get());
            final long left = handle.left();
            if (left == 0)
            {
                node.put("eta_seconds", 0);
            }
            else if (downloadRate > 0)
            {
                node.put("eta_seconds", (left + downloadRate - 1) / downloadRate);
            }
            else
            {
                node.putNull("eta_seconds");
            }
        }
        node.put("paused", entry.paused());
        node.put("data_dir", entry.dataDir().toString());
        node.put("added_at_ms", entry.addedAtMs());
        node.put("upload_limit", entry.uploadLimit());
        node.put("download_limit", entry.downloadLimit());
        node.put("sequential", entry.sequential());
        node.put("rehashed_pieces", torrent.rehashedPieces());
        node.put("spot_checked_pieces", torrent.spotCheckedPieces());
        node.put("resume", torrent.resumeNote());
        if (torrent.error() != null)
        {
            node.put("error", torrent.error());
        }
        return node;
    }

    /**
     * @param view what its network agent told of it (verified pieces, peers, web seeds).
     */
    static ObjectNode detail(final ManagedTorrent torrent, final AgentView view)
    {
        final ObjectNode node = summary(torrent);
        final BitSet verified = view.verified();
        if (!view.answered())
        {
            node.put("agent_answered", false); // pieces, peers and web seeds left out: its agent is stuck or stopping
        }
        final Metainfo metainfo = torrent.metainfo();
        if (metainfo == null)
        {
            node.put("magnet", torrent.entry().magnet());
            return node;
        }
        node.put("magnet", MagnetLink.of(metainfo).toUri());
        node.put("private", metainfo.isPrivate());
        if (metainfo.comment() != null)
        {
            node.put("comment", metainfo.comment());
        }
        final ArrayNode files = node.putArray("files");
        final FilePriorities priorities = torrent.entry().filePriorities(metainfo);
        for (int i = 0; i < metainfo.files().size(); i++)
        {
            final FileEntry file = metainfo.files().get(i);
            if (file.padding())
            {
                continue;
            }
            final long have = verified == null ? -1 : verifiedBytesOf(metainfo, file, verified);
            // the index is the file's place in the torrent (padding files counted), as 'spate info' lists it
            final ObjectNode f = files.addObject().put("index", i).put("path", file.displayPath())
                .put("size", file.length())
                .put("priority", priorities == null ? FilePriorities.DEFAULT : priorities.get(i));
            if (have >= 0)
            {
                f.put("verified", have);
            }
        }
        final ObjectNode pieces = node.putObject("pieces");
        pieces.put("count", metainfo.pieceCount()).put("length", metainfo.pieceLength());
        if (verified != null)
        {
            pieces.put("verified", verified.cardinality());
            // BEP 3 bitfield order: piece 0 is the high bit of the first byte
            pieces.put("bitfield", Base64.getEncoder().encodeToString(bitfield(verified, metainfo.pieceCount())));
        }
        TrackersJson.trackers(node.putArray("trackers"), torrent, metainfo);
        TrackersJson.dht(node.putObject("dht"), torrent);
        if (view.peers() != null)
        {
            PeersJson.peers(node.putArray("peers"), view.peers());
        }
        if (view.webSeeds() != null)
        {
            PeersJson.webSeeds(node.putArray("web_seeds"), view.webSeeds());
        }
        return node;
    }

    private static long wantedLength(final TorrentEntry entry, final Metainfo metainfo)
    {
        final FilePriorities priorities = entry.filePriorities(metainfo);
        return priorities == null || !priorities.anySkipped(metainfo) ? metainfo.totalLength() :
            priorities.wantedLength(metainfo);
    }

    private static String displayName(final TorrentEntry entry)
    {
        try
        {
            final MagnetLink link = MagnetLink.parse(entry.magnet());
            return link.displayName() != null ? link.displayName() : entry.infoHash();
        }
        catch (final RuntimeException ex)
        {
            return entry.infoHash();
        }
    }

    private static long verifiedBytesOf(final Metainfo metainfo, final FileEntry file, final BitSet verified)
    {
        if (file.length() == 0)
        {
            return 0;
        }
        final long pieceLength = metainfo.pieceLength();
        final int first = (int)(file.offset() / pieceLength);
        final int last = (int)((file.end() - 1) / pieceLength);
        long have = 0;
        for (int piece = verified.nextSetBit(first); piece >= 0 && piece <= last;
            piece = verified.nextSetBit(piece + 1))
        {
            final long start = Math.max(file.offset(), piece * pieceLength);
            final long end = Math.min(file.end(), piece * pieceLength + metainfo.pieceSize(piece));
            have += end - start;
        }
        return have;
    }

    static byte[] bitfield(final BitSet verified, final int pieceCount)
    {
        final byte[] bytes = new byte[(pieceCount + 7) / 8];
        for (int piece = verified.nextSetBit(0); piece >= 0; piece = verified.nextSetBit(piece + 1))
        {
            bytes[piece >>> 3] |= (byte)(0x80 >>> (piece & 7));
        }
        return bytes;
    }
}
