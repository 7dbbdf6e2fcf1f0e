package io.spate.bencode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static io.spate.bencode.Bytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Oversized input: limits are enforced before allocation and before recursion, so hostile input fails fast. */
class BencodeOversizedTest
{
    @Test
    @Timeout(5)
    void hundredMegabyteLengthPrefixInOneKilobyteFailsWithoutAllocatingIt()
    {
        final byte[] input = new byte[1024];
        Arrays.fill(input, (byte)'x');
        final byte[] prefix = of("100000000:");
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        final long before = allocatedBytes();
        final BencodeException ex = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(input));
        final long allocated = allocatedBytes() - before;
        assertEquals(0, ex.offset());
        assertEquals("string length 100000000 exceeds the limit of " + BencodeLimits.DEFAULT.maxStringLength(),
            ex.reason());
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void lengthPrefixWithinLimitsButPastTheEndFailsWithoutAllocatingIt()
    {
        final byte[] input = of("l50000000:abc");
        final long before = allocatedBytes();
        final BencodeException ex = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(input));
        assertTrue(allocatedBytes() - before < 1_000_000);
        assertEquals("offset 1: string length 50000000 runs past the end of the input (3 bytes left)",
            ex.getMessage());
    }

    @Test
    void stringLengthBeyond31BitsIsRejected()
    {
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> BencodeDecoder.decode(of("99999999999999999999:x")));
        assertEquals("offset 0: string length does not fit in 31 bits", ex.getMessage());
    }

    @Test
    @Timeout(5)
    void nestingHundredThousandDeepFailsWithADepthError()
    {
        final byte[] input = new byte[200_000];
        Arrays.fill(input, 0, 100_000, (byte)'l');
        Arrays.fill(input, 100_000, 200_000, (byte)'e');
        final BencodeException lists = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(input));
        assertEquals("nesting deeper than 100 levels", lists.reason());
        assertEquals(100, lists.offset());
        final StringBuilder dicts = new StringBuilder();
        for (int i = 0; i < 100_000; i++)
        {
            dicts.append("d1:a");
        }
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> BencodeDecoder.decode(of(dicts.toString())));
        assertEquals("nesting deeper than 100 levels", ex.reason());
    }

    @Test
    void nestingAtTheLimitIsAccepted()
    {
        final byte[] input = new byte[200];
        Arrays.fill(input, 0, 100, (byte)'l');
        Arrays.fill(input, 100, 200, (byte)'e');
        BencodeDecoder.decode(input);
    }

    @Test
    void integerOverflowIsRejected()
    {
        assertEquals("integer does not fit in 64 bits",
            assertThrows(BencodeException.class, () -> BencodeDecoder.decode(of("i9223372036854775808e"))).reason());
        assertEquals("integer does not fit in 64 bits",
            assertThrows(BencodeException.class, () -> BencodeDecoder.decode(of("i-9223372036854775809e"))).reason());
        assertEquals("integer does not fit in 64 bits",
            assertThrows(BencodeException.class,
                () -> BencodeDecoder.decode(of("i123456789012345678901234567890e"))).reason());
    }

    @Test
    void inputOverTheLimitIsRejectedBeforeDecoding()
    {
        final BencodeDecoder decoder = new BencodeDecoder(new BencodeLimits(10, 100, 100, 1000));
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> decoder.decode(new byte[101], 0, 101));
        assertEquals("input of 101 bytes exceeds the limit of 100", ex.reason());
    }

    @Test
    void tooManyValuesAreRejected()
    {
        final BencodeDecoder decoder = new BencodeDecoder(new BencodeLimits(10, 100, 1 << 20, 1000));
        final StringBuilder sb = new StringBuilder("l");
        for (int i = 0; i < 2000; i++)
        {
            sb.append("i0e");
        }
        final byte[] input = of(sb.append('e').toString());
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> decoder.decode(input, 0, input.length));
        assertEquals("more than 1000 values", ex.reason());
    }

    private static long allocatedBytes()
    {
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return ((com.sun.management.ThreadMXBean)bean).getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
