package io.spate.agent;

import io.spate.choke.ChokePeers;
import io.spate.choke.Choker;
import io.spate.peer.PeerConnection;

import java.util.List;

/**
 * A torrent's choking, on its agent's thread: the pure {@link Choker} decides from a view of the torrent's
 * connections (this class is that view), and the decision is sent as CHOKE/UNCHOKE; a peer choked with requests
 * queued gets them rejected (fast extension) or dropped.
 */
final class TorrentChoking implements ChokePeers
{
    private final List<PeerConnection> peers;
    private final Choker choker;
    private final PeerMessages messages;

    TorrentChoking(final List<PeerConnection> peers, final Choker choker, final PeerMessages messages)
    {
        this.peers = peers;
        this.choker = choker;
        this.messages = messages;
    }

    void peerConnected(final int slot, final long nowNs)
    {
        choker.peerConnected(slot, nowNs);
    }

    void peerDisconnected(final int slot)
    {
        choker.peerDisconnected(slot);
    }

    void rechoke(final boolean force, final boolean weAreSeed, final long nowNs)
    {
        if (!force && !choker.rechokeDue(nowNs) || !choker.rechoke(this, weAreSeed, nowNs))
        {
            return;
        }
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            if (peer.state() != PeerConnection.State.ACTIVE)
            {
                continue;
            }
            final boolean unchoke = choker.unchoked(peer.slot);
            if (unchoke && peer.amChoking)
            {
                peer.amChoking = false;
                messages.send(peer, PeerMessages.Kind.UNCHOKE, 0, 0, 0);
            }
            else if (!unchoke && !peer.amChoking)
            {
                peer.amChoking = true;
                messages.send(peer, PeerMessages.Kind.CHOKE, 0, 0, 0);
                rejectQueued(peer);
            }
        }
    }

    private void rejectQueued(final PeerConnection peer)
    {
        while (!peer.uploads.isEmpty())
        {
            if (peer.fast)
            {
                messages.send(peer, PeerMessages.Kind.REJECT, peer.uploads.headPiece(), peer.uploads.headBegin(),
                    peer.uploads.headLength());
            }
            peer.uploads.poll();
        }
    }

    int countUnchoked()
    {
        int n = 0;
        for (int i = 0; i < peers.size(); i++)
        {
            if (!peers.get(i).amChoking)
            {
                n++;
            }
        }
        return n;
    }

    @Override
    public int count()
    {
        return peers.size();
    }

    @Override
    public int id(final int i)
    {
        return peers.get(i).slot;
    }

    @Override
    public boolean interested(final int i)
    {
        final PeerConnection peer = peers.get(i);
        return peer.peerInterested && peer.state() == PeerConnection.State.ACTIVE;
    }

    @Override
    public long downloadRate(final int i)
    {
        return peers.get(i).downloadRate;
    }

    @Override
    public long uploadRate(final int i)
    {
        return peers.get(i).uploadRate;
    }

    @Override
    public boolean snubbed(final int i)
    {
        return peers.get(i).snubbed;
    }
}
