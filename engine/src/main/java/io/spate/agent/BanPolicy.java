package io.spate.agent;

import io.spate.metainfo.Metainfo;
import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.picker.PiecePicker;
import io.spate.storage.TorrentStorage;
import org.agrona.collections.Int2ObjectHashMap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may not come back to a torrent: peers that broke its rules (asked for what we lack, flooded requests) or sent
 * data that failed a piece's SHA-1. The piece hash says only that some block is bad, so, as libtorrent's smart-ban:
 * the sender of each block is remembered while its piece is in progress; a failed piece from one sender bans that
 * sender; a failed piece from several has each block's hash and sender noted (read back from the disk), and when the
 * piece later passes, the senders whose block differs from the good one are banned. A peer that sent only good blocks
 * is never struck. Runs on the owning agent's thread; the reads happen only for failed pieces.
 */
final class BanPolicy
{
    /** Failures of one piece whose block hashes are kept; past this the piece is left to the single-sender rule. */
    private static final int MAX_FAILURES_NOTED = 8;

    private final BanList banned = new BanList();
    private final Metainfo metainfo;
    private final TorrentStorage storage;
    private final TorrentStats stats;
    private final List<PeerConnection> peers;
    private final int blocksPerPiece;
    /** Sender of each block written so far, for the pieces in progress. */
    private final Int2ObjectHashMap<InetSocketAddress[]> blockSenders = new Int2ObjectHashMap<>();
    private final ArrayDeque<InetSocketAddress[]> spareSenders = new ArrayDeque<>();
    /** For pieces that failed with several senders: each block's sender and the digest of what it sent. */
    private final Int2ObjectHashMap<List<Suspect>> suspects = new Int2ObjectHashMap<>();
    private final MessageDigest sha1;
    /**
     * A block read back from the disk; made at the first read back only: 16 KiB per torrent were 160 MB of a daemon's
     * heap at 10,000 torrents, where read backs follow only a failed piece (perf-results/service/seedbox.md).
     */
    private ByteBuffer block;

    BanPolicy(final Metainfo metainfo, final TorrentStorage storage, final TorrentStats stats,
        final List<PeerConnection> peers)
    {
        this.metainfo = metainfo;
        this.storage = storage;
        this.stats = stats;
        this.peers = peers;
        this.blocksPerPiece = (metainfo.pieceLength() + PiecePicker.BLOCK_LENGTH - 1) / PiecePicker.BLOCK_LENGTH;
        try
        {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    boolean isBanned(final InetSocketAddress address)
    {
        return banned.isBanned(address);
    }

    /** At a handshake, with the id the peer gives: an incoming connection from a banned host or peer is refused. */
    boolean isBanned(final InetSocketAddress address, final byte[] peerId)
    {
        return banned.isBanned(address, peerId);
    }

    /**
     * Whether the address sent a block of a piece that failed with several senders, and waits for the verdict the
     * piece's next pass gives (smart-ban's suspicion: libtorrent puts such a peer on parole).
     */
    boolean isSuspect(final InetSocketAddress address)
    {
        for (final List<Suspect> noted : suspects.values())
        {
            for (int i = 0; i < noted.size(); i++)
            {
                if (noted.get(i).sender.equals(address))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Closes the connection and keeps its host out (see {@link BanList}). */
    void ban(final PeerConnection peer, final CloseReason reason, final String detail)
    {
        if (banned.ban(peer.remote(), peer.remotePeerId()))
        {
            stats.peersBanned.incrementAndGet();
        }
        peer.close(reason, detail);
    }

    /** A block of {@code piece} from {@code peer} went to the disk. */
    void blockFrom(final int piece, final int blockIndex, final PeerConnection peer)
    {
        InetSocketAddress[] senders = blockSenders.get(piece);
        if (senders == null)
        {
            senders = spareSenders.isEmpty() ? new InetSocketAddress[blocksPerPiece] : spareSenders.poll();
            blockSenders.put(piece, senders);
        }
        senders[blockIndex] = peer.remote();
    }

    /** The piece passed its check: senders of blocks that differ from the good data of an earlier failure are banned. */
    void pieceVerified(final int piece)
    {
        release(piece);
        final List<Suspect> noted = suspects.remove(piece);
        if (noted == null)
        {
            return;
        }
        for (final Suspect suspect : noted)
        {
            if (!banned.isBanned(suspect.sender) && !MessageDigest.isEqual(suspect.digest, digest(piece, suspect.block)))
            {
                banAddress(suspect.sender, "sent a bad block " + suspect.block + " of piece " + piece);
            }
        }
    }

    /** The piece failed its check: a single sender is banned; several have their blocks noted for the verdict. */
    void pieceFailed(final int piece)
    {
        final InetSocketAddress[] senders = blockSenders.get(piece);
        if (senders == null)
        {
            return;
        }
        final int blocks = blocksIn(piece);
        InetSocketAddress only = senders[0];
        for (int b = 1; b < blocks && only != null; b++)
        {
            only = only.equals(senders[b]) ? only : null;
        }
        if (only != null && !banned.isBanned(only))
        {
            banAddress(only, "piece " + piece + " failed its SHA-1 check");
        }
        else
        {
            final List<Suspect> noted = suspects.computeIfAbsent(piece, p -> new ArrayList<>());
            if (noted.size() < MAX_FAILURES_NOTED * blocks)
            {
                for (int b = 0; b < blocks; b++)
                {
                    if (senders[b] != null && !banned.isBanned(senders[b]))
                    {
                        noted.add(new Suspect(b, senders[b], digest(piece, b)));
                    }
                }
            }
        }
        release(piece);
    }

    /** Bans the sender of bad blocks (counted once per peer) and closes its connections. */
    private void banAddress(final InetSocketAddress address, final String detail)
    {
        byte[] peerId = null;
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            if (peers.get(i).remote().equals(address))
            {
                peerId = peers.get(i).remotePeerId();
            }
        }
        if (banned.ban(address, peerId))
        {
            stats.peersBanned.incrementAndGet();
        }
        for (int i = peers.size() - 1; i >= 0; i--)
        {
            if (banned.isBanned(peers.get(i).remote(), peers.get(i).remotePeerId()))
            {
                peers.get(i).close(CloseReason.SENT_BAD_DATA, detail);
            }
        }
    }

    private void release(final int piece)
    {
        final InetSocketAddress[] senders = blockSenders.remove(piece);
        if (senders != null)
        {
            java.util.Arrays.fill(senders, null);
            spareSenders.push(senders);
        }
    }

    private int blocksIn(final int piece)
    {
        return (metainfo.pieceSize(piece) + PiecePicker.BLOCK_LENGTH - 1) / PiecePicker.BLOCK_LENGTH;
    }

    /** The SHA-1 of a block as it is on disk now. */
    private byte[] digest(final int piece, final int blockIndex)
    {
        final int begin = blockIndex * PiecePicker.BLOCK_LENGTH;
        final int length = Math.min(PiecePicker.BLOCK_LENGTH, metainfo.pieceSize(piece) - begin);
        if (block == null)
        {
            block = ByteBuffer.allocateDirect(PiecePicker.BLOCK_LENGTH); // direct: DiskHandler says why
        }
        block.clear().limit(length);
        storage.read(piece, begin, block);
        block.flip();
        sha1.update(block);
        return sha1.digest();
    }

    /** A block of a failed piece: who sent it and the digest of what it sent. */
    private record Suspect(int block, InetSocketAddress sender, byte[] digest)
    {
    }
}
