package io.spate.peer;

/**
 * How large a slow connection's socket send buffer should be: about a tenth of a second of the rate we upload to it,
 * so that the blocks we have written but the kernel has not sent stay few. Java has no TCP_NOTSENT_LOWAT, and Linux
 * autotunes a send buffer up to 4 MiB (net.ipv4.tcp_wmem): on a 2-4 MB/s link that is a second or more of blocks
 * already out of our hands, which a CANCEL can no longer take back (perf-results/swarm-lab/utilization/NOTES.md,
 * section 3: 0.4-1.4 MB waiting in the seed's send buffers). Fast connections (loopback, LAN) keep the kernel's
 * autotuning: setting SO_SNDBUF turns it off for good, and Linux caps a set value at net.core.wmem_max.
 * With {@link io.spate.picker.RequestSteals} it made the swarm lab's transfer 0.914 of main's with nothing sent
 * twice (perf-results/swarm-lab/tail/NOTES.md); a quarter second instead of a tenth, without steals, did nothing.
 *
 * <p>Limit: the buffer also bounds the bytes in flight (Linux doubles the value set, so about 0.2 s of the rate), so
 * a peer whose round trip is longer than that cannot grow past its current rate by more than the floor allows
 * ({@link #MIN_BYTES} doubled per round trip); the lab has no delay emulation, so this is not measured. Java 17
 * reads no round trip (TCP_INFO) to size it by.
 * So it is applied to peers on a local network only ({@link LocalNetwork}), where the round trip is short.
 * Immutable and pure: the caller samples the rate once a second and applies what this returns.
 */
public final class SendBufferSizer
{
    /** What the kernel may hold, in time at the connection's rate. */
    public static final long HOLD_NS = 100_000_000L;
    /** Never below this: a buffer of a few segments would stall the connection between our writes. */
    public static final int MIN_BYTES = 32 * 1024;
    /** At or above this rate a connection keeps autotuning (until first sized). */
    public static final long FAST_BYTES_PER_SECOND = 16_000_000L;
    /** Seconds of uploading at a slow rate before the first sizing: slow start has passed. */
    public static final int SETTLE_SAMPLES = 3;

    /**
     * @param uploadRate    bytes/s we send the peer, sampled this second.
     * @param slowSamples   consecutive samples so far (this one included) with an upload rate above 0 and below
     *                      {@link #FAST_BYTES_PER_SECOND}.
     * @param currentBytes  what was last set, 0 while the kernel autotunes.
     * @return the size to set now, or 0 to leave the buffer as it is (a change under a quarter is not worth a call).
     */
    public int size(final long uploadRate, final int slowSamples, final int currentBytes)
    {
        final boolean unsettled = slowSamples < SETTLE_SAMPLES || uploadRate >= FAST_BYTES_PER_SECOND;
        if (uploadRate <= 0 || currentBytes == 0 && unsettled)
        {
            return 0;
        }
        final long target = Math.min(Integer.MAX_VALUE, Math.max(MIN_BYTES, uploadRate * HOLD_NS / 1_000_000_000L));
        if (currentBytes != 0 && Math.abs(target - currentBytes) < currentBytes / 4)
        {
            return 0;
        }
        return (int)target;
    }
}
