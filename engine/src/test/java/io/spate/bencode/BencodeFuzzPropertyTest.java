package io.spate.bencode;

import io.spate.metainfo.Metainfo;
import io.spate.metainfo.MetainfoException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Fuzz-style properties: random bytes, and mutations of valid documents (byte flips, insertions, deletions,
 * truncations, digits), only ever decode to a value or throw {@link BencodeException}; the .torrent parser over the
 * same inputs only ever returns or throws {@link MetainfoException}. Anything else (an index error, an
 * OutOfMemoryError, a StackOverflowError) fails the property. Whatever decodes also re-encodes to itself.
 */
class BencodeFuzzPropertyTest
{
    @Property(tries = 2000)
    void randomBytes(@ForAll("randomBytes") final byte[] input)
    {
        check(input);
    }

    @Property(tries = 2000)
    void mutatedDocuments(@ForAll("mutated") final byte[] input)
    {
        check(input);
    }

    private static void check(final byte[] input)
    {
        try
        {
            final BValue value = BencodeDecoder.decode(input);
            assertArrayEquals(input, BencodeEncoder.encode(value));
        }
        catch (final BencodeException expected)
        {
            // the declared error
        }
        try
        {
            Metainfo.parse(input);
        }
        catch (final MetainfoException expected)
        {
            // the declared error
        }
    }

    @Provide
    Arbitrary<byte[]> randomBytes()
    {
        final Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        final Arbitrary<byte[]> alphabet = Arbitraries.of((byte)'i', (byte)'l', (byte)'d', (byte)'e', (byte)':',
            (byte)'-', (byte)'0', (byte)'1', (byte)'2', (byte)'9', (byte)'a').array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(any, alphabet);
    }

    @Provide
    Arbitrary<byte[]> mutated()
    {
        final Arbitrary<byte[]> seeds = Arbitraries.oneOf(
            Arbitraries.of(BencodeValues.sampleDocuments()),
            BencodeValues.values().map(BencodeEncoder::encode));
        final Arbitrary<List<Tuple.Tuple3<Integer, Integer, Byte>>> edits = Combinators.combine(
            Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 10_000), Arbitraries.bytes())
            .as(Tuple::of).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(seeds, edits).as(BencodeFuzzPropertyTest::apply);
    }

    private static byte[] apply(final byte[] seed, final List<Tuple.Tuple3<Integer, Integer, Byte>> edits)
    {
        byte[] out = seed.clone();
        for (final Tuple.Tuple3<Integer, Integer, Byte> edit : edits)
        {
            if (out.length == 0)
            {
                return out;
            }
            final int at = edit.get2() % out.length;
            final byte b = edit.get3();
            switch (edit.get1())
            {
                case 0 -> out[at] = b;
                case 1 ->
                {
                    final byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = b;
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
                case 2 ->
                {
                    final byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                case 3 -> out = Arrays.copyOf(out, at);
                default -> out[at] = (byte)('0' + Math.floorMod(b, 10));
            }
        }
        return out;
    }
}
