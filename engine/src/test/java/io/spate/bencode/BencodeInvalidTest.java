package io.spate.bencode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.spate.bencode.Bytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Invalid input: each rejected with the offset of the fault and what was wrong there. */
class BencodeInvalidTest
{
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "i03e          | 1  | leading zero in integer",
        "i00e          | 1  | leading zero in integer",
        "i-0e          | 2  | negative zero in integer",
        "i-03e         | 2  | negative zero in integer",
        "ie            | 1  | integer has no digits",
        "i-e           | 2  | integer has no digits",
        "i1.5e         | 2  | expected a digit or 'e' in integer, found '.'",
        "i+1e          | 1  | expected a digit or 'e' in integer, found '+'",
        "i--1e         | 2  | expected a digit or 'e' in integer, found '-'",
        "01:a          | 0  | leading zero in string length",
        "-1:a          | 0  | expected 'i', 'l', 'd' or a digit, found '-'",
        "1x            | 1  | expected a digit or ':' in string length, found 'x'",
        "x             | 0  | expected 'i', 'l', 'd' or a digit, found 'x'",
        "i1ei2e        | 3  | trailing data after the top-level value (3 bytes)",
        "lei           | 2  | trailing data after the top-level value (1 bytes)",
        "de\\n         | 2  | trailing data after the top-level value (1 bytes)",
        "di1ei2ee      | 1  | dictionary key must be a string, found 'i'",
        "dlei1ee       | 1  | dictionary key must be a string, found 'l'",
        "d1:b0:1:a0:e  | 6  | dictionary keys out of order: 'a' after 'b'",
        "d1:a0:1:a0:e  | 6  | duplicate dictionary key 'a'",
        "d2:ab0:1:a0:e | 7  | dictionary keys out of order: 'a' after 'ab'",
        "d1:ai1e1:b    | 10 | unexpected end of input, expected a value",
    })
    void rejected(final String input, final long offset, final String reason)
    {
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> BencodeDecoder.decode(of(input.replace("\\n", "\n"))));
        assertEquals(reason, ex.reason());
        assertEquals(offset, ex.offset());
        assertEquals("offset " + offset + ": " + reason, ex.getMessage());
    }

    @Test
    void unsortedTorrentKeysNameBothKeys()
    {
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> BencodeDecoder.decode(of("d6:pieces0:12:piece lengthi1ee")));
        assertEquals("offset 11: dictionary keys out of order: 'piece length' after 'pieces'", ex.getMessage());
    }

    @Test
    void nonPrintableKeysAreShownSafely()
    {
        final byte[] input = {'d', '1', ':', 'b', '0', ':', '1', ':', 0x01, '0', ':', 'e'};
        final BencodeException ex = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(input));
        assertEquals("dictionary keys out of order: '?' after 'b'", ex.reason());
    }

    @Test
    void emptyInput()
    {
        final BencodeException ex = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(new byte[0]));
        assertEquals("offset 0: unexpected end of input, expected a value", ex.getMessage());
    }
}
