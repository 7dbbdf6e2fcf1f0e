package io.spate.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** BEP 9 ut_metadata messages: valid, truncated, invalid and oversized input. */
class MetadataMessageTest
{
    @Test
    void encodesTheBep9Examples()
    {
        assertEquals("d8:msg_typei0e5:piecei0ee", ascii(MetadataMessage.request(0)));
        assertEquals("d8:msg_typei2e5:piecei7ee", ascii(MetadataMessage.reject(7)));
        assertEquals("d8:msg_typei1e5:piecei0e10:total_sizei34256ee", ascii(MetadataMessage.dataHeader(0, 34256)));
    }

    @Test
    void decodesADataMessageAndFindsItsBytesAfterTheDictionary()
    {
        final byte[] dict = MetadataMessage.dataHeader(1, 20_000);
        final byte[] payload = new byte[3 + dict.length + 3616];
        System.arraycopy(dict, 0, payload, 3, dict.length);
        Arrays.fill(payload, 3 + dict.length, payload.length, (byte)'x');
        final MetadataMessage m = MetadataMessage.decode(payload, 3, payload.length - 3);
        assertEquals(new MetadataMessage(MetadataMessage.DATA, 1, 20_000, 3 + dict.length, 3616), m);
    }

    @Test
    void decodesRequestsRejectsAndUnknownTypes()
    {
        assertEquals(MetadataMessage.REQUEST, decode("d8:msg_typei0e5:piecei5ee").type());
        assertEquals(5, decode("d8:msg_typei0e5:piecei5ee").piece());
        assertEquals(-1, decode("d8:msg_typei0e5:piecei5ee").totalSize());
        assertEquals(MetadataMessage.REJECT, decode("d8:msg_typei2e5:piecei0ee").type());
        assertEquals(9, decode("d8:msg_typei9e5:piecei0e3:zzzi1ee").type(), "unknown types decode, to be ignored");
    }

    @Test
    void truncatedOrInvalidInputIsNull()
    {
        assertNull(decode("d8:msg_typei0e5:piecei5e"), "dictionary not closed");
        assertNull(decode("d8:msg_typei0e5:piecei"), "integer cut short");
        assertNull(decode(""), "empty");
        assertNull(decode("d5:piecei5ee"), "no msg_type");
        assertNull(decode("d8:msg_typei0ee"), "no piece");
        assertNull(decode("d8:msg_type1:05:piecei5ee"), "msg_type not an integer");
        assertNull(decode("d8:msg_typei0e5:piecei-1ee"), "negative piece");
        assertNull(decode("d8:msg_typei-1e5:piecei0ee"), "negative type");
        assertNull(decode("li0ei0ee"), "a list, not a dictionary");
        assertNull(decode("d8:msg_typei0e5:piecei4096ee"), "piece beyond 64 MiB of metadata");
    }

    @Test
    void oversizedInputIsNullNotAnException()
    {
        final byte[] big = new byte[MetadataMessage.MAX_MESSAGE_LENGTH + 1];
        final byte[] dict = MetadataMessage.request(0);
        System.arraycopy(dict, 0, big, 0, dict.length);
        assertNull(MetadataMessage.decode(big, 0, big.length));
        assertNull(MetadataMessage.decode(dict, 0, dict.length + 1), "length past the array");
        assertNull(MetadataMessage.decode(dict, -1, 2), "negative offset");
    }

    @Test
    void pieceCountRoundsUp()
    {
        assertEquals(1, MetadataMessage.pieceCount(1));
        assertEquals(1, MetadataMessage.pieceCount(16384));
        assertEquals(2, MetadataMessage.pieceCount(16385));
        assertArrayEquals(MetadataMessage.request(3), "d8:msg_typei0e5:piecei3ee".getBytes(StandardCharsets.US_ASCII));
    }

    private static MetadataMessage decode(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return MetadataMessage.decode(bytes, 0, bytes.length);
    }

    private static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
