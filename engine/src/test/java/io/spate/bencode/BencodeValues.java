package io.spate.bencode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: jqwik generators of bencode values (nested lists and dictionaries with binary strings and keys). */
final class BencodeValues
{
    private BencodeValues()
    {
    }

    /** Values nested at most three levels deep. */
    static Arbitrary<BValue> values()
    {
        return values(3);
    }

    static Arbitrary<BValue> values(final int depth)
    {
        final Arbitrary<BValue> leaves = Arbitraries.oneOf(integers(), strings());
        if (depth == 0)
        {
            return leaves;
        }
        final Arbitrary<BValue> inner = values(depth - 1);
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, leaves),
            net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(5).map(l -> (BValue)new BValue.BList(new ArrayList<>(l)))),
            net.jqwik.api.Tuple.of(1, Arbitraries.maps(keys(), inner).ofMaxSize(5).map(BencodeValues::dict)));
    }

    static Arbitrary<BValue> integers()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs().map(BValue.BInteger::new),
            Arbitraries.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE).map(BValue.BInteger::new));
    }

    static Arbitrary<BValue> strings()
    {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(BValue.BString::new);
    }

    /** Keys as the decoder holds them: raw bytes as ISO-8859-1 strings. */
    static Arbitrary<String> keys()
    {
        return Arbitraries.strings().withCharRange((char)0, (char)255).ofMaxLength(12);
    }

    private static BValue dict(final Map<String, BValue> entries)
    {
        return new BValue.BDict(new TreeMap<>(entries));
    }

    static List<byte[]> sampleDocuments()
    {
        return List.of(
            Bytes.of("d8:announce22:http://x/announce_____4:infod5:filesld6:lengthi3e4:pathl1:a1:beed6:" +
                "lengthi0e4:pathl1:ceee4:name3:abc12:piece lengthi16384e6:pieces20:01234567890123456789ee"),
            Bytes.of("d4:infod6:lengthi16385e4:name1:x12:piece lengthi16384e" +
                "6:pieces40:0123456789012345678901234567890123456789e7:privatei1ee"));
    }
}
