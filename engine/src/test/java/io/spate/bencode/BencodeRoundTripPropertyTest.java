package io.spate.bencode;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** encode(decode(x)) == x for every valid document x, generated as the encoding of a random value. */
class BencodeRoundTripPropertyTest
{
    @Property(tries = 1000)
    void encodeOfDecodeGivesBackTheInput(@ForAll("documents") final byte[] document)
    {
        assertArrayEquals(document, BencodeEncoder.encode(BencodeDecoder.decode(document)));
    }

    @Property(tries = 500)
    void writerAndEncoderAgreeOnIntegers(@ForAll final long value)
    {
        final byte[] written = new BencodeWriter(8).integer(value).toByteArray();
        assertArrayEquals(BencodeEncoder.encode(new BValue.BInteger(value)), written);
        assertArrayEquals(written, BencodeEncoder.encode(BencodeDecoder.decode(written)));
    }

    @Provide
    Arbitrary<byte[]> documents()
    {
        return BencodeValues.values().map(BencodeEncoder::encode);
    }
}
