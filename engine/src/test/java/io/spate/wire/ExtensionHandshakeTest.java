package io.spate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The BEP 10 extension handshake dictionary.
 */
class ExtensionHandshakeTest
{
    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesSortedKeysAndOnlyThePresentOnes()
    {
        final ExtensionHandshake hs = new ExtensionHandshake(Map.of("ut_pex", 2, "ut_metadata", 1), "Spate 0.1",
            6881, 250, 31_235, new byte[] {127, 0, 0, 1});
        assertEquals("d1:md11:ut_metadatai1e6:ut_pexi2ee13:metadata_sizei31235e1:pi6881e4:reqqi250e1:v9:Spate 0.1" +
            "6:yourip4:\u007f\u0000\u0000\u0001e", new String(hs.encode(), StandardCharsets.ISO_8859_1));

        final ExtensionHandshake bare = new ExtensionHandshake(Map.of(), null, -1, -1, -1, null);
        assertEquals("d1:mdee", new String(bare.encode(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesTheBep10Example()
    {
        // the example from BEP 10, with its one-byte (Latin-1) micro sign in "µT_PEX" so the 6: length holds
        final byte[] payload = ascii("d1:md11:LT_metadatai1e6:\u00b5T_PEXi2ee1:pi6881e1:v13:\u00c2\u00b5Torrent 1.2e");
        final ExtensionHandshake hs = ExtensionHandshake.decode(payload);
        assertEquals(1, hs.extensionId("LT_metadata"));
        assertEquals(2, hs.extensions().size());
        assertEquals(6881, hs.port());
        assertEquals("\u00b5Torrent 1.2", hs.client());
        assertEquals(-1, hs.requestQueue());
        assertEquals(-1, hs.metadataSize());
        assertNull(hs.yourIp());
    }

    @Test
    void ignoresUnknownKeysAndKnownKeysOfTheWrongType()
    {
        final byte[] payload = ascii("d12:complete_agoi-1e1:md7:lt_donti0e8:lt_wrong3:abc7:ut_hugei256e" +
            "11:ut_metadatai3ee13:metadata_size3:big1:pi70000e4:reqqi-5e11:upload_onlyi1e1:vi3e6:yourip3:abce");
        final ExtensionHandshake hs = ExtensionHandshake.decode(payload);
        assertEquals(Map.of("lt_dont", 0, "ut_metadata", 3), hs.extensions());
        assertEquals(0, hs.extensionId("lt_dont"));
        assertEquals(0, hs.extensionId("ut_pex"));
        assertEquals(-1, hs.metadataSize());
        assertEquals(-1, hs.port());
        assertEquals(-1, hs.requestQueue());
        assertNull(hs.client());
        assertNull(hs.yourIp());
    }

    @Test
    void malformedPayloadsDecodeToNull()
    {
        for (final String bad : new String[] {"", "i5e", "le", "d1:mdee.", "d1:md", "d1:mi1e1:mi1ee",
            "5:abcde", "d1:md3:abci1e3:abci2eee"})
        {
            assertNull(ExtensionHandshake.decode(ascii(bad)), bad);
        }
        final UnsafeBuffer buf = new UnsafeBuffer(ascii("d1:mdee"));
        assertNull(ExtensionHandshake.decode(buf, 3, 10));
        // keys out of order are what some clients send: read leniently, not refused
        assertEquals(1, ExtensionHandshake.decode(ascii("d1:pi1e1:mdee")).port());
        assertNull(ExtensionHandshake.decode(buf, -1, 2));
    }

    @Test
    void frameRoundTripsThroughTheDecoder()
    {
        final ExtensionHandshake sent = new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, 3), "Spate",
            51413, 500, 1 << 20, new byte[16]);
        final UnsafeBuffer buf = WireFixtures.buffer(256);
        final int n = sent.encodeFrame(buf, 2);
        assertEquals(MessageType.EXTENDED, buf.getByte(2 + 4));
        final ExtensionHandshake[] received = new ExtensionHandshake[1];
        final MessageDecoder decoder = WireFixtures.decoder();
        assertEquals(n, decoder.decode(buf, 2, n, null, new RecordingHandler()
        {
            @Override
            public void onExtended(final Object peer,
                final int extendedId, final DirectBuffer b, final int offset, final int length)
            {
                assertEquals(ExtensionHandshake.HANDSHAKE_ID, extendedId);
                received[0] = ExtensionHandshake.decode(b, offset, length);
            }
        }));
        final ExtensionHandshake hs = received[0];
        assertEquals(sent.extensions(), hs.extensions());
        assertEquals(3, hs.extensionId(ExtensionHandshake.UT_METADATA));
        assertEquals("Spate", hs.client());
        assertEquals(51413, hs.port());
        assertEquals(500, hs.requestQueue());
        assertEquals(1 << 20, hs.metadataSize());
        assertArrayEquals(new byte[16], hs.yourIp());
    }

    @Test
    void extensionIdsMustFitInOneByte()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new ExtensionHandshake(Map.of("x", 256), null, -1, -1, -1, null));
        assertThrows(IllegalArgumentException.class,
            () -> new ExtensionHandshake(Map.of("x", -1), null, -1, -1, -1, null));
    }
}
