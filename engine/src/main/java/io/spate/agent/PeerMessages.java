package io.spate.agent;

import io.spate.peer.CloseReason;
import io.spate.peer.PeerConnection;
import io.spate.wire.MessageEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Queues the small fixed-size messages a torrent sends (choke, interest, have, request, cancel, reject, ...) in a
 * peer's write buffer and marks the peer for the agent's end-of-cycle flush. A peer whose buffer does not drain is
 * closed rather than allowed to grow memory.
 */
final class PeerMessages
{
    /** The messages, with their frame sizes. */
    enum Kind
    {
        KEEP_ALIVE(4), CHOKE(5), UNCHOKE(5), INTERESTED(5), NOT_INTERESTED(5), HAVE_ALL(5), HAVE_NONE(5), HAVE(9),
        REQUEST(17), CANCEL(17), REJECT(17);

        final int size;

        Kind(final int size)
        {
            this.size = size;
        }
    }

    private final NetworkAgent agent;

    PeerMessages(final NetworkAgent agent)
    {
        this.agent = agent;
    }

    /**
     * Appends one message ({@code a, b, c} are index, begin, length where the kind has them).
     *
     * @return false (and the peer closed) if the peer's write buffer does not drain.
     */
    boolean send(final PeerConnection peer, final Kind kind, final int a, final int b, final int c)
    {
        if (peer.state() == PeerConnection.State.CLOSED)
        {
            return false;
        }
        try
        {
            final UnsafeBuffer buf = peer.writeBuffer(kind.size);
            final int at = peer.writeOffset();
            final int n = switch (kind)
            {
                case KEEP_ALIVE -> MessageEncoder.keepAlive(buf, at);
                case CHOKE -> MessageEncoder.choke(buf, at);
                case UNCHOKE -> MessageEncoder.unchoke(buf, at);
                case INTERESTED -> MessageEncoder.interested(buf, at);
                case NOT_INTERESTED -> MessageEncoder.notInterested(buf, at);
                case HAVE_ALL -> MessageEncoder.haveAll(buf, at);
                case HAVE_NONE -> MessageEncoder.haveNone(buf, at);
                case HAVE -> MessageEncoder.have(buf, at, a);
                case REQUEST -> MessageEncoder.request(buf, at, a, b, c);
                case CANCEL -> MessageEncoder.cancel(buf, at, a, b, c);
                case REJECT -> MessageEncoder.rejectRequest(buf, at, a, b, c);
            };
            peer.commitWrite(n);
            agent.markDirty(peer);
            return true;
        }
        catch (final PeerConnection.SendBufferOverflow ex)
        {
            peer.close(CloseReason.SEND_BUFFER_OVERFLOW, "peer does not read what we send");
            return false;
        }
    }
}
