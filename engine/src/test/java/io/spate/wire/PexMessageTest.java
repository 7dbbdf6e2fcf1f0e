package io.spate.wire;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** BEP 11 ut_pex messages: valid, truncated, invalid and oversized input. */
class PexMessageTest
{
    @Test
    void encodesCompactContactsWithFlagsAndDecodesTheAddedOnes() throws Exception
    {
        final InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6881);
        final InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 51413);
        final InetSocketAddress six = new InetSocketAddress(InetAddress.getByName("::1"), 80);
        final InetSocketAddress gone = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 258);
        final byte[] dict = PexMessage.encode(List.of(a, six, b), new byte[] {PexMessage.FLAG_SEED, 0, 0x10},
            List.of(gone));
        final String text = new String(dict, StandardCharsets.ISO_8859_1);
        assertEquals("d5:added12:\u007f\u0000\u0000\u0001\u001a\u00e1\n\u0001\u0002\u0003\u00c8\u00d5" +
            "7:added.f2:\u0002\u0010" +
            "6:added618:" + "\u0000".repeat(15) + "\u0001\u0000P" + "8:added6.f1:\u0000" +
            "7:dropped6:\u007f\u0000\u0000\u0002\u0001\u0002e", text);
        assertEquals(List.of(a, b, six), PexMessage.decodeAdded(dict, 0, dict.length));
    }

    @Test
    void anEmptyChangeStillCarriesTheRequiredKeys()
    {
        assertEquals("d5:added0:7:added.f0:7:dropped0:e",
            new String(PexMessage.encode(List.of(), new byte[0], List.of()), StandardCharsets.US_ASCII));
    }

    @Test
    void portZeroIsSkippedAndContactsAreCapped() throws Exception
    {
        final List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 1; i <= 150; i++)
        {
            many.add(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), i));
        }
        final byte[] dict = PexMessage.encode(many, new byte[150], List.of());
        assertEquals(PexMessage.MAX_CONTACTS, PexMessage.decodeAdded(dict, 0, dict.length).size());
        final byte[] zero = "d5:added6:\u007f\u0000\u0000\u0001\u0000\u0000e".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(), PexMessage.decodeAdded(zero, 0, zero.length));
    }

    @Test
    void truncatedInvalidAndOversizedInputIsNull()
    {
        assertNull(decode("d5:added6:\u007f\u0000\u0000\u0001\u001a"), "string cut short");
        assertNull(decode("d5:added5:\u007f\u0000\u0000\u0001\u001ae"), "5 bytes is no whole contact");
        assertNull(decode("d6:added617:" + "\u0000".repeat(17) + "e"), "17 bytes is no whole IPv6 contact");
        assertNull(decode("d5:addedi7ee"), "added not a string");
        assertNull(decode("l5:addede"), "a list");
        assertNull(decode(""), "empty");
        final byte[] big = new byte[8 * 1024 + 1];
        assertNull(PexMessage.decodeAdded(big, 0, big.length), "oversized");
        assertNull(PexMessage.decodeAdded(new byte[4], 2, 4), "length past the array");
        assertEquals(List.of(), decode("d7:dropped6:\u007f\u0000\u0000\u0001\u001a\u00e1e"), "dropped only");
    }

    private static List<InetSocketAddress> decode(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return PexMessage.decodeAdded(bytes, 0, bytes.length);
    }
}
