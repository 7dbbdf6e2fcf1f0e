package io.spate.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class BanListTest
{
    private static InetSocketAddress at(final String ip, final int port) throws Exception
    {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void aRemoteHostIsBannedOnEveryPortAndCountedOnce() throws Exception
    {
        final BanList bans = new BanList();
        assertTrue(bans.ban(at("10.77.0.5", 6881), null));
        assertFalse(bans.ban(at("10.77.0.5", 6881), null), "the same peer again: not a new ban");
        assertFalse(bans.ban(at("10.77.0.5", 40000), null), "its host is banned already");
        assertTrue(bans.isBanned(at("10.77.0.5", 51413)), "dialling us from another port does not help");
        assertFalse(bans.isBanned(at("10.77.0.6", 6881)));
    }

    @Test
    void onLoopbackOnlyThatAddressAndPortAndThePeerIdAreBanned() throws Exception
    {
        final BanList bans = new BanList();
        final byte[] id = "-XX0001-abcdefghijkl".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bans.ban(at("127.0.0.1", 7000), id));
        assertTrue(bans.isBanned(at("127.0.0.1", 7000)));
        assertFalse(bans.isBanned(at("127.0.0.1", 7001)), "a local swarm's other peers stay in");
        assertTrue(bans.isBanned(at("127.0.0.1", 7001), id), "unless they give the banned peer's id");
        assertFalse(bans.isBanned(at("127.0.0.1", 7001), "-XX0001-000000000000".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1)));
    }
}
