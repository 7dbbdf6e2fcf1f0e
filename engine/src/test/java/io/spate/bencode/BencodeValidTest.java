package io.spate.bencode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.spate.bencode.Bytes.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Valid input: decoded to the right values with the right spans, and encoded back byte for byte. */
class BencodeValidTest
{
    @Test
    void integers()
    {
        assertEquals(0, integer("i0e"));
        assertEquals(42, integer("i42e"));
        assertEquals(-7, integer("i-7e"));
        assertEquals(Long.MAX_VALUE, integer("i9223372036854775807e"));
        assertEquals(Long.MIN_VALUE, integer("i-9223372036854775808e"));
    }

    @Test
    void strings()
    {
        assertArrayEquals(new byte[0], ((BValue.BString)BencodeDecoder.decode(of("0:"))).bytes());
        assertEquals("spam", ((BValue.BString)BencodeDecoder.decode(of("4:spam"))).utf8());
        final byte[] binary = {0, (byte)0xFF, ':', 'e'};
        final byte[] input = new byte[6];
        input[0] = '4';
        input[1] = ':';
        System.arraycopy(binary, 0, input, 2, 4);
        assertArrayEquals(binary, ((BValue.BString)BencodeDecoder.decode(input)).bytes());
    }

    @Test
    void listsAndDictionariesWithSpans()
    {
        final byte[] input = of("d4:infod6:lengthi5ee4:listli1e0:lee3:zzz0:e");
        final BValue.BDict top = assertInstanceOf(BValue.BDict.class, BencodeDecoder.decode(input));
        assertEquals(List.of("info", "list", "zzz"), List.copyOf(top.entries().keySet()));
        final BValue info = top.get("info");
        assertEquals("d6:lengthi5ee", new String(input, info.start(), info.end() - info.start(),
            StandardCharsets.ISO_8859_1));
        final BValue.BList list = assertInstanceOf(BValue.BList.class, top.get("list"));
        assertEquals(3, list.values().size());
        assertEquals(0, top.start());
        assertEquals(input.length, top.end());
    }

    @Test
    void keysCompareAsUnsignedBytes()
    {
        // 0x7f sorts before 0x80: a signed comparison would call this out of order
        final byte[] input = {'d', '1', ':', 0x7F, 'i', '1', 'e', '1', ':', (byte)0x80, 'i', '2', 'e', 'e'};
        final BValue.BDict d = (BValue.BDict)BencodeDecoder.decode(input);
        assertEquals(2, d.entries().size());
        assertArrayEquals(input, BencodeEncoder.encode(d));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "i0e", "i-1e", "0:", "le", "de", "llee", "ldee", "d1:ad1:bleee", "l4:spami42ee",
        "d3:bar4:spam3:fooi42ee", "d0:0:1:a0:e", "d8:announce3:url4:infod6:lengthi1e4:name1:xee"})
    void encodeGivesBackTheInput(final String text)
    {
        final byte[] input = of(text);
        assertArrayEquals(input, BencodeEncoder.encode(BencodeDecoder.decode(input)));
    }

    @Test
    void writerMatchesTheEncoder()
    {
        final BencodeWriter w = new BencodeWriter(16);
        w.startDict().string("interval").integer(1800).string("peers").bytes(new byte[] {1, 2, 3}, 0, 3).end();
        final byte[] written = w.toByteArray();
        assertArrayEquals(written, BencodeEncoder.encode(BencodeDecoder.decode(written)));
        assertEquals("d8:intervali1800e5:peers3:", new String(written, 0, written.length - 4,
            StandardCharsets.ISO_8859_1));
        w.reset().startList().integer(-3).end();
        assertEquals("li-3ee", new String(w.toByteArray(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesASubRangeWithSpansIntoTheWholeArray()
    {
        final byte[] input = of("xxi5eyy");
        final BValue v = new BencodeDecoder(BencodeLimits.DEFAULT).decode(input, 2, 3);
        assertEquals(5, ((BValue.BInteger)v).value());
        assertEquals(2, v.start());
        assertEquals(5, v.end());
    }

    private static long integer(final String text)
    {
        return ((BValue.BInteger)BencodeDecoder.decode(of(text))).value();
    }
}
