package io.spate.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequestQueueSizerTest
{
    private static final RequestQueueSizer SIZER = RequestQueueSizer.DEFAULT;

    @Test
    void oneSecondOfTransferInBlocks()
    {
        // 1 MiB/s for 1 s = 1 MiB = 64 blocks of 16 KiB
        assertEquals(64, SIZER.targetQueueDepth(1 << 20));
        assertEquals(128, SIZER.targetQueueDepth(2 << 20));
        // the lab's leechers: 2 MB/s uplinks shared by 4-5 peers, ~0.4 MB/s each: 24 blocks, not 73
        assertEquals(24, SIZER.targetQueueDepth(400_000));
    }

    @Test
    void clampedToMinAndMax()
    {
        assertEquals(16, SIZER.targetQueueDepth(0));
        assertEquals(16, SIZER.targetQueueDepth(-5));
        assertEquals(16, SIZER.targetQueueDepth(200_000));
        assertEquals(500, SIZER.targetQueueDepth(1_000_000_000L));
        assertEquals(500, SIZER.targetQueueDepth(Long.MAX_VALUE));
    }

    @Test
    void snubbedPeerGetsOneRequest()
    {
        assertEquals(1, SIZER.targetQueueDepth(10 << 20, true));
        assertEquals(500, SIZER.targetQueueDepth(10 << 20, false));
    }

    @Test
    void customQueueTime()
    {
        final RequestQueueSizer sizer = new RequestQueueSizer(1_000_000_000L, 2, 1000);
        assertEquals(64, sizer.targetQueueDepth(1 << 20));
        assertEquals(2, sizer.targetQueueDepth(1));
        assertThrows(IllegalArgumentException.class, () -> new RequestQueueSizer(1, 10, 5));
    }
}
