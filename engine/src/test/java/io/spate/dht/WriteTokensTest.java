package io.spate.dht;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Write tokens: accepted from the address they were given to, for 5 to 10 minutes, never after. */
class WriteTokensTest
{
    private static final long T0 = 7_000_000_000L;
    private static final long R = WriteTokens.ROTATION_NS;

    @Test
    void acceptRejectAndRotation() throws Exception
    {
        final InetAddress a = InetAddress.getByName("10.0.0.1");
        final InetAddress b = InetAddress.getByName("10.0.0.2");
        final WriteTokens tokens = new WriteTokens(new Random(1), T0);
        final byte[] token = tokens.tokenFor(a, T0);
        assertEquals(WriteTokens.LENGTH, token.length);
        assertArrayEquals(token, tokens.tokenFor(a, T0 + 1), "stable within a period");
        assertTrue(tokens.accept(token, a, T0 + 1));
        assertFalse(tokens.accept(token, b, T0 + 1), "bound to the address it was given to");
        assertTrue(tokens.accept(token, a, T0 + R + 1), "the previous secret is still accepted");
        assertFalse(tokens.accept(token, a, T0 + 2 * R + 1), "two rotations later it is refused");

        final byte[] fresh = tokens.tokenFor(a, T0 + 2 * R + 2);
        assertFalse(tokens.accept(fresh, a, T0 + 10 * R), "a long quiet spell rotates both secrets");
        assertFalse(tokens.accept(new byte[WriteTokens.LENGTH], a, T0 + 10 * R));
        assertFalse(tokens.accept(new byte[3], a, T0 + 10 * R));
    }
}
