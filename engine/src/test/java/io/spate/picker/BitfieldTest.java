package io.spate.picker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class BitfieldTest
{
    @Test
    void pieceZeroIsTheHighBitOfByteZero()
    {
        final Bitfield bits = new Bitfield(10);
        bits.set(0);
        bits.set(9);
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[4]);
        assertEquals(2, bits.writeWire(buf, 1));
        assertArrayEquals(new byte[] {0, (byte)0x80, 0x40, 0}, buf.byteArray());
    }

    @Test
    void wireRoundTripAcrossWordBoundaries()
    {
        for (final int size : new int[] {1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 1000})
        {
            final byte[] wire = new byte[(size + 7) / 8];
            final java.util.Random random = new java.util.Random(size);
            random.nextBytes(wire);
            final int spare = wire.length * 8 - size;
            wire[wire.length - 1] &= (byte)(0xFF << spare);
            final UnsafeBuffer in = new UnsafeBuffer(new byte[wire.length + 3]);
            in.putBytes(3, wire);

            final Bitfield bits = new Bitfield(size);
            bits.readWire(in, 3, wire.length);

            int expectedCount = 0;
            for (int i = 0; i < size; i++)
            {
                final boolean expected = (wire[i >> 3] & (0x80 >> (i & 7))) != 0;
                assertEquals(expected, bits.get(i), "size " + size + " bit " + i);
                expectedCount += expected ? 1 : 0;
            }
            assertEquals(expectedCount, bits.cardinality());
            final UnsafeBuffer out = new UnsafeBuffer(new byte[wire.length + 5]);
            assertEquals(wire.length, bits.writeWire(out, 5));
            final byte[] written = new byte[wire.length];
            out.getBytes(5, written);
            assertArrayEquals(wire, written, "size " + size);
        }
    }

    @Test
    void readWireDropsSpareBitsAndRejectsWrongLength()
    {
        final Bitfield bits = new Bitfield(64 + 3);
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[9]);
        buf.setMemory(0, 9, (byte)0xFF);
        bits.readWire(buf, 0, 9);
        assertEquals(67, bits.cardinality());
        assertTrue(bits.isComplete());
        assertThrows(IllegalArgumentException.class, () -> bits.readWire(buf, 0, 8));
    }

    @Test
    void setClearCardinalityAndComplete()
    {
        final Bitfield bits = new Bitfield(70);
        assertTrue(bits.isEmpty());
        bits.set(69);
        bits.set(69);
        bits.set(3);
        assertEquals(2, bits.cardinality());
        bits.clear(69);
        bits.clear(69);
        assertEquals(1, bits.cardinality());
        assertEquals(3, bits.nextSetBit(0));
        assertEquals(-1, bits.nextSetBit(4));
        bits.setAll();
        assertTrue(bits.isComplete());
        assertEquals(70, bits.cardinality());
        assertEquals(69, bits.nextSetBit(69));
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[9]);
        bits.writeWire(buf, 0);
        assertEquals((byte)0xFC, buf.getByte(8), "spare bits stay zero after setAll");
        bits.clearAll();
        assertFalse(bits.get(5));
        assertEquals(0, bits.cardinality());
        assertThrows(IndexOutOfBoundsException.class, () -> bits.get(70));
        assertThrows(IndexOutOfBoundsException.class, () -> bits.set(-1));
    }

    @Test
    void hasAnyNotIn()
    {
        final Bitfield peer = new Bitfield(100);
        final Bitfield ours = new Bitfield(100);
        assertFalse(peer.hasAnyNotIn(ours));
        peer.set(99);
        assertTrue(peer.hasAnyNotIn(ours));
        ours.set(99);
        assertFalse(peer.hasAnyNotIn(ours));
    }
}
