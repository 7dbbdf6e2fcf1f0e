package io.spate.peer;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalNetworkTest
{
    private static InetSocketAddress at(final String ip)
    {
        return new InetSocketAddress(ip, 6881);
    }

    @Test
    void privateLinkLocalAndUniqueLocalAreLocal()
    {
        for (final String ip : new String[]{"10.201.0.12", "172.16.5.1", "192.168.1.20", "169.254.3.4",
            "fe80::1", "fd12:3456::1", "fc00::2"})
        {
            assertTrue(LocalNetwork.isLocal(at(ip)), ip);
        }
    }

    @Test
    void loopbackIsNotALocalNetworkUnlessATestSaysSo()
    {
        assertFalse(LocalNetwork.isLocal(at("127.0.0.1")));
        assertFalse(LocalNetwork.isLocal(at("::1")));
        LocalNetwork.treatLoopbackAsLocal(true);
        try
        {
            assertTrue(LocalNetwork.isLocal(at("127.0.0.1")));
        }
        finally
        {
            LocalNetwork.treatLoopbackAsLocal(false);
        }
    }

    @Test
    void publicAddressesAreNotLocal()
    {
        for (final String ip : new String[]{"8.8.8.8", "100.64.0.1", "172.32.0.1", "192.169.0.1", "2001:db8::1",
            "fe00::1"})
        {
            assertFalse(LocalNetwork.isLocal(at(ip)), ip);
        }
        assertFalse(LocalNetwork.isLocal(InetSocketAddress.createUnresolved("peer.example", 6881)), "unresolved");
        assertFalse(LocalNetwork.isLocal(null));
    }

    @Test
    void spateIsKnownByItsPeerIdPrefix()
    {
        assertTrue(LocalNetwork.isSpate("-SP0100-abcdefghijkl".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(LocalNetwork.isSpate("-LT2090-abcdefghijkl".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(LocalNetwork.isSpate(new byte[20]), "before the handshake: zeros");
        assertFalse(LocalNetwork.isSpate(new byte[2]));
        assertFalse(LocalNetwork.isSpate(null));
    }
}
