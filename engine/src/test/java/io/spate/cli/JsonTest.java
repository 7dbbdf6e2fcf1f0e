package io.spate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest
{
    @ParameterizedTest
    @CsvSource({
        "0.0, 3, 0.000",
        "3.5, 3, 3.500",
        "2.0005, 3, 2.001",
        "12.3456, 2, 12.35",
        "-1.25, 1, -1.3",
        "-0.0004, 3, 0.000",
        "99.999, 2, 100.00",
        "0.05, 3, 0.050",
        "1234567.891, 0, 1234568",
        "0.000001, 6, 0.000001",
    })
    void fixedDecimalsMatchFormat(final double number, final int decimals, final String expected)
    {
        assertEquals(expected, new Json().value(number, decimals).toString());
    }

    @Test
    void agreesWithStringFormatOverARange()
    {
        for (int i = -20_000; i <= 20_000; i += 7)
        {
            final double x = i / 997.0;
            assertEquals(String.format(Locale.ROOT, "%.3f", x).replace("-0.000", "0.000"),
                new Json().value(x, 3).toString(), "x = " + x);
        }
    }

    @Test
    void nonFiniteIsNullAndHugeKeepsAnExponent()
    {
        assertEquals("null", new Json().value(Double.NaN, 3).toString());
        assertEquals("null", new Json().value(Double.POSITIVE_INFINITY, 2).toString());
        assertEquals("1.0E300", new Json().value(1e300, 3).toString());
    }

    @Test
    void fieldsAreCommaSeparatedInOrder()
    {
        assertEquals("{\"event\":\"complete\",\"seconds\":3.142,\"bytes\":7,\"name\":\"a\\\"b\"}",
            new Json().beginObject().field("event", "complete").field("seconds", Math.PI, 3).field("bytes", 7)
                .field("name", "a\"b").endObject().toString());
    }
}
