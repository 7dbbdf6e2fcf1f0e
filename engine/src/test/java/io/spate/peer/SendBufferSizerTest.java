package io.spate.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SendBufferSizer}: a tenth of a second of a slow connection's rate, fast ones left to the kernel. */
class SendBufferSizerTest
{
    private final SendBufferSizer sizer = new SendBufferSizer();

    @Test
    void aSlowConnectionIsSizedOnceSettledToATenthOfASecondOfItsRate()
    {
        assertEquals(0, sizer.size(2_000_000, 1, 0), "slow start may still be under way");
        assertEquals(0, sizer.size(2_000_000, 2, 0));
        assertEquals(200_000, sizer.size(2_000_000, 3, 0));
    }

    @Test
    void neverBelowTheFloor()
    {
        assertEquals(SendBufferSizer.MIN_BYTES, sizer.size(100_000, 5, 0));
    }

    @Test
    void aFastConnectionKeepsAutotuning()
    {
        assertEquals(0, sizer.size(500_000_000, 10, 0), "loopback, LAN");
        assertEquals(0, sizer.size(SendBufferSizer.FAST_BYTES_PER_SECOND, 10, 0));
    }

    @Test
    void followsTheRateOnceSizedButIgnoresSmallChanges()
    {
        assertEquals(0, sizer.size(2_200_000, 4, 200_000), "10 % more: not worth a call");
        assertEquals(400_000, sizer.size(4_000_000, 4, 200_000));
        assertEquals(50_000, sizer.size(500_000, 4, 200_000));
        assertEquals(10_000_000, sizer.size(100_000_000, 0, 200_000), "sized once, it follows a fast rate too");
    }

    @Test
    void nothingWhileNothingIsSent()
    {
        assertEquals(0, sizer.size(0, 0, 200_000));
        assertEquals(0, sizer.size(0, 0, 0));
    }
}
