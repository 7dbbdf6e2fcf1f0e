package io.spate.bencode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static io.spate.bencode.Bytes.of;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated input: every proper prefix of a valid document fails with an offset inside the prefix. */
class BencodeTruncatedTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "i-123e", "10:abcdefghij", "l4:spami42ee", "d3:bar4:spam3:fooi42ee", "d1:ad1:bld1:ci0eeeee",
        "d8:announce22:http://x/announce_____4:infod6:lengthi16384e4:name3:abc12:piece lengthi16384e" +
            "6:pieces20:01234567890123456789ee"})
    void everyProperPrefixFailsWithAnOffset(final String text)
    {
        final byte[] input = of(text);
        BencodeDecoder.decode(input); // the whole input is valid
        for (int length = 0; length < input.length; length++)
        {
            final byte[] prefix = Arrays.copyOf(input, length);
            final int n = length;
            final BencodeException ex = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(prefix),
                () -> "prefix of " + n + " bytes decoded");
            assertTrue(ex.offset() >= 0 && ex.offset() <= length, () -> ex.getMessage() + " for prefix " + n);
            assertTrue(ex.getMessage().startsWith("offset " + ex.offset() + ": "), ex.getMessage());
            assertTrue(ex.reason().contains("end of input") || ex.reason().contains("runs past the end"),
                ex.getMessage());
        }
    }
}
