package io.spate.agent;

import io.spate.wire.ExtensionHandshake;
import io.spate.wire.MetadataMessage;
import io.spate.wire.PexMessage;

import java.util.HashMap;
import java.util.Map;

/**
 * Our BEP 10 handshake, made once per torrent: the listen port, the request queue depth we take, our client name,
 * BEP 9 ut_metadata with the info dictionary's size when we serve it, and BEP 11 ut_pex when we exchange peers.
 */
final class ExtensionHandshakes
{
    /**
     * Requests a peer may queue with us, advertised as reqq: Transmission keeps exactly this many in flight and
     * refills about once a second, so 512 capped it at 8 MiB/s (libtorrent advertises 2000).
     */
    static final int MAX_UPLOAD_QUEUE = 2048;
    private static final String CLIENT = "Spate 0.1";

    private final int listenPort;

    ExtensionHandshakes(final int listenPort)
    {
        this.listenPort = listenPort;
    }

    /** @param metadataSize the info dictionary's size when we serve it, else 0. */
    byte[] forTorrent(final long metadataSize, final boolean pex)
    {
        final Map<String, Integer> extensions = new HashMap<>();
        if (metadataSize > 0)
        {
            extensions.put(ExtensionHandshake.UT_METADATA, MetadataMessage.OUR_EXTENDED_ID);
        }
        if (pex)
        {
            extensions.put(ExtensionHandshake.UT_PEX, PexMessage.OUR_EXTENDED_ID);
        }
        return new ExtensionHandshake(extensions, CLIENT, listenPort, MAX_UPLOAD_QUEUE, metadataSize, null).encode();
    }
}
