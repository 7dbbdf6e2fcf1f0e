package io.spate.bencode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What other programs send (tracker replies, extension handshakes) may have unsorted keys: accepted leniently. */
class BencodeLenientTest
{
    private static byte[] b(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void unsortedKeysAreRefusedStrictlyAndAcceptedLeniently()
    {
        final byte[] reply = b("d8:intervali1800e5:peers0:8:completei3ee");
        final BencodeException strict = assertThrows(BencodeException.class, () -> BencodeDecoder.decode(reply));
        assertTrue(strict.getMessage().contains("out of order"), strict.getMessage());
        final BValue.BDict dict = (BValue.BDict)BencodeDecoder.decodeLenient(reply);
        assertEquals(1800, ((BValue.BInteger)dict.get("interval")).value());
        assertEquals(3, ((BValue.BInteger)dict.get("complete")).value());
    }

    @Test
    void duplicateKeysAreRefusedEvenLeniently()
    {
        final BencodeException ex = assertThrows(BencodeException.class,
            () -> BencodeDecoder.decodeLenient(b("d1:bi1e1:ai2e1:bi3ee")));
        assertTrue(ex.getMessage().contains("duplicate dictionary key 'b'"), ex.getMessage());
    }
}
