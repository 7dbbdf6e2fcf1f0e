package io.spate.tracker.server;

import io.netty.util.NetUtil;
import io.spate.bencode.BencodeWriter;

/**
 * Bencodes tracker replies into a reusable {@link BencodeWriter}: announce with compact {@code peers} (BEP 23) and
 * {@code peers6} (BEP 7) or the dictionary list of BEP 3, scrape {@code files} (BEP 48), and {@code failure reason}.
 * Keys are written in sorted order. Single-threaded; the compact forms allocate nothing.
 */
public final class ReplyEncoder
{
    private static final int V4_ENTRY = 6;
    private static final int V6_ENTRY = 18;

    private final BencodeWriter writer = new BencodeWriter(8192);
    private final byte[] v4 = new byte[AnnounceResult.MAX_PEERS * V4_ENTRY];
    private final byte[] v6 = new byte[AnnounceResult.MAX_PEERS * V6_ENTRY];
    private final int[] order = new int[ScrapeRequest.MAX_INFO_HASHES];

    /** @return the writer holding the last reply encoded. */
    public BencodeWriter writer()
    {
        return writer;
    }

    public BencodeWriter failure(final String reason)
    {
        return writer.reset().startDict().string("failure reason").string(reason).end();
    }

    /** Encodes an accepted announce, or the failure reason of a refused one. */
    public BencodeWriter announce(final AnnounceResult result, final boolean compact, final boolean noPeerId)
    {
        if (result.status() != AnnounceResult.Status.OK)
        {
            return failure(result.status().reason());
        }
        writer.reset().startDict()
            .string("complete").integer(result.complete())
            .string("incomplete").integer(result.incomplete())
            .string("interval").integer(result.intervalSeconds())
            .string("min interval").integer(result.minIntervalSeconds());
        if (compact)
        {
            compactPeers(result);
        }
        else
        {
            dictionaryPeers(result, noPeerId);
        }
        return writer.end();
    }

    private void compactPeers(final AnnounceResult result)
    {
        int v4Length = 0;
        int v6Length = 0;
        for (int i = 0; i < result.peerCount(); i++)
        {
            final int port = result.port(i);
            if (result.isV4(i))
            {
                PeerAddress.writeV4(result.addressLo(i), v4, v4Length);
                v4[v4Length + 4] = (byte)(port >>> 8);
                v4[v4Length + 5] = (byte)port;
                v4Length += V4_ENTRY;
            }
            else
            {
                PeerAddress.writeV6(result.addressHi(i), result.addressLo(i), v6, v6Length);
                v6[v6Length + 16] = (byte)(port >>> 8);
                v6[v6Length + 17] = (byte)port;
                v6Length += V6_ENTRY;
            }
        }
        writer.string("peers").bytes(v4, 0, v4Length);
        if (v6Length > 0)
        {
            writer.string("peers6").bytes(v6, 0, v6Length);
        }
    }

    private void dictionaryPeers(final AnnounceResult result, final boolean noPeerId)
    {
        writer.string("peers").startList();
        for (int i = 0; i < result.peerCount(); i++)
        {
            final String ip = NetUtil.bytesToIpAddress(PeerAddress.toBytes(result.addressHi(i), result.addressLo(i)));
            writer.startDict().string("ip").string(ip);
            if (!noPeerId)
            {
                writer.string("peer id").bytes(result.peerIds(), i * Swarm.PEER_ID_LENGTH, Swarm.PEER_ID_LENGTH);
            }
            writer.string("port").integer(result.port(i)).end();
        }
        writer.end();
    }

    /**
     * Encodes a scrape of the request's info-hashes in key order (duplicates once), skipping those the registry
     * refuses (not on the whitelist).
     */
    public BencodeWriter scrape(
        final ScrapeRequest request, final SwarmRegistry registry, final long nowMs, final ScrapeStats stats)
    {
        final byte[] hashes = request.infoHashes();
        final int n = sortedUnique(hashes, request.count());
        writer.reset().startDict().string("files").startDict();
        for (int k = 0; k < n; k++)
        {
            final int offset = order[k] * InfoHashKey.LENGTH;
            if (registry.scrape(hashes, offset, nowMs, stats))
            {
                writer.bytes(hashes, offset, InfoHashKey.LENGTH).startDict()
                    .string("complete").integer(stats.complete())
                    .string("downloaded").integer(stats.downloaded())
                    .string("incomplete").integer(stats.incomplete())
                    .end();
            }
        }
        return writer.end().end();
    }

    /** Insertion-sorts the indices of the hashes into {@link #order} by unsigned bytes, dropping duplicates. */
    private int sortedUnique(final byte[] hashes, final int count)
    {
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            int j = n;
            boolean duplicate = false;
            while (j > 0)
            {
                final int c = compare(hashes, order[j - 1], i);
                if (c == 0)
                {
                    duplicate = true;
                    break;
                }
                if (c < 0)
                {
                    break;
                }
                j--;
            }
            if (!duplicate)
            {
                System.arraycopy(order, j, order, j + 1, n - j);
                order[j] = i;
                n++;
            }
        }
        return n;
    }

    private static int compare(final byte[] hashes, final int a, final int b)
    {
        final int offsetA = a * InfoHashKey.LENGTH;
        final int offsetB = b * InfoHashKey.LENGTH;
        for (int i = 0; i < InfoHashKey.LENGTH; i++)
        {
            final int c = (hashes[offsetA + i] & 0xFF) - (hashes[offsetB + i] & 0xFF);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
