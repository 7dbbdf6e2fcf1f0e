package io.spate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The BEP 3 handshake: its 68 bytes, the reserved bits of BEP 5, 6 and 10, and the checks on a received one.
 */
class HandshakeTest
{
    private static final byte[] INFO_HASH = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEER_ID = "-SP0100-xxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX_HEX = "13" + RecordingHandler.hex(
        "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));

    private static UnsafeBuffer encoded(final int offset, final boolean fast, final boolean extended)
    {
        final UnsafeBuffer buf = WireFixtures.buffer(offset + Handshake.LENGTH);
        buf.setMemory(0, buf.capacity(), (byte)0xEE); // reserved bytes must be cleared, not left as found
        assertEquals(Handshake.LENGTH, Handshake.encode(buf, offset, INFO_HASH, PEER_ID, fast, extended));
        return buf;
    }

    @Test
    void encodesTheSixtyEightBytesOfBep3()
    {
        final UnsafeBuffer buf = encoded(0, false, false);
        assertEquals(PREFIX_HEX + "0000000000000000" + RecordingHandler.hex(INFO_HASH) + RecordingHandler.hex(PEER_ID),
            RecordingHandler.hex(buf, 0, Handshake.LENGTH));
    }

    @Test
    void reservedBitsForExtensionProtocolFastAndDht()
    {
        assertEquals("0000000000100000", RecordingHandler.hex(encoded(0, false, true), 20, 8));
        assertEquals("0000000000000004", RecordingHandler.hex(encoded(0, true, false), 20, 8));
        assertEquals("0000000000100004", RecordingHandler.hex(encoded(0, true, true), 20, 8));
        final UnsafeBuffer buf = WireFixtures.buffer(Handshake.LENGTH);
        Handshake.encode(buf, 0, INFO_HASH, PEER_ID, false, false, true);
        assertEquals("0000000000000001", RecordingHandler.hex(buf, 20, 8));
        assertTrue(Handshake.supportsDht(buf, 0));
    }

    @Test
    void readsBackFlagsInfoHashAndPeerIdAtAnOffset()
    {
        final UnsafeBuffer buf = encoded(7, true, false);
        assertEquals(HandshakeError.NONE, Handshake.validate(buf, 7));
        assertEquals(HandshakeError.NONE, Handshake.validate(buf, 7, Handshake.LENGTH, INFO_HASH));
        assertTrue(Handshake.supportsFast(buf, 7));
        assertFalse(Handshake.supportsExtended(buf, 7));
        assertFalse(Handshake.supportsDht(buf, 7));
        assertTrue(Handshake.infoHashEquals(buf, 7, INFO_HASH));
        final byte[] peerId = new byte[20];
        final byte[] infoHash = new byte[20];
        Handshake.peerId(buf, 7, peerId);
        Handshake.infoHash(buf, 7, infoHash);
        assertArrayEquals(PEER_ID, peerId);
        assertArrayEquals(INFO_HASH, infoHash);
    }

    @Test
    void flagsAreReadFromOtherClientsBitsOnly()
    {
        // a libtorrent-style reserved field: DHT, fast and extension protocol bits plus bits we do not know
        final UnsafeBuffer buf = encoded(0, false, false);
        buf.putBytes(20, new byte[] {(byte)0x80, 0, 0, 0, 0, 0x18, 0, 0x05});
        assertTrue(Handshake.supportsExtended(buf, 0));
        assertTrue(Handshake.supportsFast(buf, 0));
        assertTrue(Handshake.supportsDht(buf, 0));
        buf.putBytes(20, new byte[] {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xEF,
            (byte)0xFF, (byte)0xFA});
        assertFalse(Handshake.supportsExtended(buf, 0));
        assertFalse(Handshake.supportsFast(buf, 0));
        assertFalse(Handshake.supportsDht(buf, 0));
    }

    @Test
    void wrongInfoHashIsReported()
    {
        final UnsafeBuffer buf = encoded(0, false, false);
        final byte[] other = INFO_HASH.clone();
        other[19] ^= 1;
        assertFalse(Handshake.infoHashEquals(buf, 0, other));
        assertFalse(Handshake.infoHashEquals(buf, 0, new byte[19]));
        assertEquals(HandshakeError.INFO_HASH_MISMATCH, Handshake.validate(buf, 0, Handshake.LENGTH, other));
    }

    @Test
    void badProtocolLength()
    {
        final UnsafeBuffer buf = encoded(0, false, false);
        buf.putByte(0, (byte)18);
        assertEquals(HandshakeError.BAD_PROTOCOL_LENGTH, Handshake.validate(buf, 0));
        buf.putByte(0, (byte)0x93);
        assertEquals(HandshakeError.BAD_PROTOCOL_LENGTH, Handshake.validate(buf, 0, 1));
    }

    @Test
    void badProtocolString()
    {
        for (int i = 1; i < 20; i++)
        {
            final UnsafeBuffer buf = encoded(0, false, false);
            buf.putByte(i, (byte)(buf.getByte(i) ^ 0x20)); // case matters: "bitTorrent" is not the protocol
            assertEquals(HandshakeError.BAD_PROTOCOL_STRING, Handshake.validate(buf, 0), "byte " + i);
            // reported as soon as the bad byte has arrived
            assertEquals(HandshakeError.BAD_PROTOCOL_STRING, Handshake.validate(buf, 0, i + 1), "byte " + i);
        }
    }

    @Test
    void incompleteWhileFewerThanSixtyEightBytes()
    {
        final UnsafeBuffer buf = encoded(0, false, false);
        for (int n = 0; n < Handshake.LENGTH; n++)
        {
            assertEquals(HandshakeError.INCOMPLETE, Handshake.validate(buf, 0, n), n + " bytes");
        }
        assertEquals(HandshakeError.NONE, Handshake.validate(buf, 0, Handshake.LENGTH));
        final UnsafeBuffer short67 = new UnsafeBuffer(new byte[Handshake.LENGTH - 1]);
        short67.putBytes(0, buf, 0, short67.capacity());
        assertEquals(HandshakeError.INCOMPLETE, Handshake.validate(short67, 0));
        assertEquals(HandshakeError.INCOMPLETE, Handshake.validate(buf, 200));
        assertEquals(HandshakeError.INCOMPLETE, Handshake.validate(buf, -1, 68));
    }

    @Test
    void encodeRefusesIdsThatAreNotTwentyBytes()
    {
        final UnsafeBuffer buf = WireFixtures.buffer(Handshake.LENGTH);
        assertThrows(IllegalArgumentException.class,
            () -> Handshake.encode(buf, 0, new byte[19], PEER_ID, false, false));
        assertThrows(IllegalArgumentException.class,
            () -> Handshake.encode(buf, 0, INFO_HASH, new byte[21], false, false));
    }
}
