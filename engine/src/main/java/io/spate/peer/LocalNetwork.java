package io.spate.peer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Which peers a short round trip can be assumed for, and which run Spate: the two conditions under which a send
 * buffer sized to a tenth of a second of the rate ({@link SendBufferSizer}) and moving queued requests between peers
 * ({@link io.spate.picker.RequestSteals}) are safe.
 *
 * <p>Why a gate: a send buffer bounds the bytes in flight too, so on a path whose round trip is longer than what it
 * holds (~0.2 s of the rate), the connection could not grow past its rate and would shrink with each sizing; Java 17
 * reads no round trip (TCP_INFO) to size it by, and the swarm lab (no delay emulation) cannot show that case. So the
 * sizing applies where the round trip is short by construction: link-local and private addresses (RFC 1918, IPv6
 * unique-local), as libtorrent treats its local peers apart. Not loopback: on one host no link limits a flow, the
 * CPU does, so there is no link queue to keep short, and a short buffer can only drain while its sender waits for a
 * core. A precaution, not a measured loss: a 1 GiB swarm of nine processes on loopback with both on was not shown
 * slower (perf-results/swarm-lab/tail/NOTES.md, section 7). A request moved away from a peer pays only when that
 * peer has not yet written the block into its socket, which holds for a Spate peer on such a network (its buffers are
 * sized) and not for other clients, whose autotuned buffers hold a second or more (perf-results/swarm-lab/tail/NOTES.md:
 * moving requests without the sizing sent 5-10 % of the bytes twice).
 */
public final class LocalNetwork
{
    private static final byte[] SPATE_PREFIX = "-SP".getBytes(StandardCharsets.US_ASCII);
    /** Tests that play a local network on loopback set this; the engine never does. */
    private static volatile boolean loopbackIsLocal;

    private LocalNetwork()
    {
    }

    /** For tests whose peers are on loopback but stand for a local network (see the class comment). */
    public static void treatLoopbackAsLocal(final boolean local)
    {
        loopbackIsLocal = local;
    }

    /** @return whether {@code address} is on a local network: link-local, private, unique-local (not loopback). */
    public static boolean isLocal(final InetSocketAddress address)
    {
        final InetAddress ip = address == null ? null : address.getAddress();
        if (ip == null)
        {
            return false;
        }
        if (ip.isLoopbackAddress())
        {
            return loopbackIsLocal;
        }
        if (ip.isLinkLocalAddress() || ip.isSiteLocalAddress())
        {
            return true;
        }
        // fc00::/7, IPv6's unique-local range (Java's isSiteLocalAddress covers only the deprecated fec0::/10)
        return ip instanceof Inet6Address && (ip.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** @return whether a 20-byte peer id is Spate's ("-SP" and a version, Azureus style). */
    public static boolean isSpate(final byte[] peerId)
    {
        if (peerId == null || peerId.length < SPATE_PREFIX.length)
        {
            return false;
        }
        for (int i = 0; i < SPATE_PREFIX.length; i++)
        {
            if (peerId[i] != SPATE_PREFIX[i])
            {
                return false;
            }
        }
        return true;
    }
}
