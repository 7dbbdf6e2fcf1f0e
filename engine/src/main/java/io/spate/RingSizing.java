package io.spate;

import io.spate.picker.PiecePicker;
import io.spate.wire.Handshake;
import io.spate.wire.MessageDecoder;
import org.agrona.BitUtil;

/**
 * Verify ring slots sized to what an engine will receive. {@link Context#RING_SIZE_DEFAULT} (16 MiB of direct memory,
 * zeroed at the start and so resident from then on) is a leecher's: a quarter of it cost a Spate pair a third of its
 * rate (perf-results/memory/SUMMARY.md). A seed receives nothing while its data is whole, and held those 16 MiB idle:
 * more than half of its anonymous memory.
 */
public final class RingSizing
{
    /**
     * Blocks one read of a connection's buffer may publish: the buffer as the network agents size it (the largest
     * frame and a handshake, rounded up to a power of two) in 16 KiB blocks, and one more split across its end.
     */
    static final int BLOCKS_PER_READ = BitUtil.findNextPositivePowerOfTwo(
        MessageDecoder.DEFAULT_MAX_FRAME_LENGTH + 4 + Handshake.LENGTH) / PiecePicker.BLOCK_LENGTH + 1;

    private RingSizing()
    {
    }

    /**
     * @param agents the engine's network agents.
     * @return slots for an engine started to seed: should its data turn out short it downloads, and then each agent
     * has room for two full reads in flight (one going to disk while the next is read), the least with which every
     * agent keeps reading; a power of two, as the ring needs.
     */
    public static int forSeed(final int agents)
    {
        return BitUtil.findNextPositivePowerOfTwo(2 * Math.max(1, agents) * BLOCKS_PER_READ);
    }
}
