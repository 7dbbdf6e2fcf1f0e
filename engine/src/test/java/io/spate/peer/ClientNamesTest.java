package io.spate.peer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Peer ids to client names, as qBittorrent shows them: each style of id, unknown codes and ids that fit none. */
class ClientNamesTest
{
    private static String name(final String id)
    {
        return ClientNames.of(Arrays.copyOf(id.getBytes(StandardCharsets.ISO_8859_1), 20));
    }

    @Test
    void azureusStyleIdsNameTheClientAndItsVersion()
    {
        assertEquals("qBittorrent 4.2.5", name("-qB4250-a1b2c3d4e5f6"));
        assertEquals("Transmission 3.0.0", name("-TR3000-a1b2c3d4e5f6"));
        assertEquals("libtorrent 1.2.7", name("-LT1270-a1b2c3d4e5f6"));
        assertEquals("rTorrent 0.13.8", name("-lt0D80-a1b2c3d4e5f6"), "version digits past 9 are letters");
        assertEquals("uTorrent 3.5.5.32", name("-UT355W-a1b2c3d4e5f6"));
        assertEquals("Spate 0.1.0", name("-SP0100-a1b2c3d4e5f6"));
        assertEquals("ZZ 1.2.3.4", name("-ZZ1234-a1b2c3d4e5f6"), "an unknown code is shown as its letters");
    }

    @Test
    void mainlineAndShadowStyleIdsAreRead()
    {
        assertEquals("Mainline 7.2.2", name("M7-2-2--a1b2c3d4e5f6"));
        assertEquals("Mainline 10.11.0", name("M10-11-0--1b2c3d4e5f"));
        assertEquals("Shadow 5.8.7", name("S587--a1b2c3d4e5f6gh"));
        assertEquals("BitTornado 0.3.18", name("T03I--a1b2c3d4e5f6gh"));
    }

    @Test
    void idsOfNoKnownStyleAreShownAsTheirPrintableCharacters()
    {
        final byte[] id = new byte[20];
        id[0] = 'x';
        id[1] = (byte)0xff;
        assertEquals("Unknown [x...................]", ClientNames.of(id));
        assertEquals("Unknown [-qB42]", ClientNames.of("-qB42".getBytes(StandardCharsets.US_ASCII)),
            "an id of the wrong length is never decoded");
        assertEquals("Unknown [-qB4_50-a1b2c3d4e5f6]", name("-qB4_50-a1b2c3d4e5f6"), "a version digit that is none");
    }
}
