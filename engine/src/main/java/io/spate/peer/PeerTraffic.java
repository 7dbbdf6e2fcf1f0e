package io.spate.peer;

import io.spate.metrics.RateEstimator;

/**
 * What one connection moved: payload bytes each way, their rates over a sliding window (sampled once a second by the
 * owning agent; the choker and the request-depth sizing read them), and when it last received or sent anything (the
 * idle and keep-alive timers read those).
 */
public final class PeerTraffic
{
    private final RateEstimator downloadMeter = new RateEstimator();
    private final RateEstimator uploadMeter = new RateEstimator();
    private long downloaded;
    private long uploaded;
    private long sampledDownloaded;
    private long sampledUploaded;
    private long downloadRate;
    private long uploadRate;
    private long lastReceiveNs;
    private long lastSendNs;

    PeerTraffic(final long nowNs)
    {
        this.lastReceiveNs = nowNs;
        this.lastSendNs = nowNs;
        downloadMeter.start(nowNs);
        uploadMeter.start(nowNs);
    }

    void downloaded(final int bytes)
    {
        downloaded += bytes;
    }

    void uploaded(final int bytes)
    {
        uploaded += bytes;
    }

    /** Feeds the bytes moved since the last sample into the windows and updates both rates. */
    public void sample(final long nowNs)
    {
        downloadMeter.record(downloaded - sampledDownloaded, nowNs);
        uploadMeter.record(uploaded - sampledUploaded, nowNs);
        sampledDownloaded = downloaded;
        sampledUploaded = uploaded;
        downloadRate = downloadMeter.rate(nowNs);
        uploadRate = uploadMeter.rate(nowNs);
    }

    /** @return payload bytes received from the peer. */
    public long downloaded()
    {
        return downloaded;
    }

    /** @return payload bytes sent to the peer. */
    public long uploaded()
    {
        return uploaded;
    }

    /** @return bytes/s the peer sends us, as of the last {@link #sample}. */
    public long downloadRate()
    {
        return downloadRate;
    }

    /** @return bytes/s we send the peer, as of the last {@link #sample}. */
    public long uploadRate()
    {
        return uploadRate;
    }

    void received(final long nowNs)
    {
        lastReceiveNs = nowNs;
    }

    void sent(final long nowNs)
    {
        lastSendNs = nowNs;
    }

    /** @return when the last bytes arrived from the peer (or it connected). */
    public long lastReceiveNs()
    {
        return lastReceiveNs;
    }

    /** @return when we last wrote to the peer (or it connected). */
    public long lastSendNs()
    {
        return lastSendNs;
    }
}
