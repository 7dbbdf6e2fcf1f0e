package io.spate.tracker.client;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HttpPreload prepares the JDK's HTTP client without touching the network, and takes any URL without throwing. */
class HttpPreloadTest
{
    @Test
    void preparingConnectsToNothing() throws Exception
    {
        try (ServerSocket tracker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            HttpPreload.prepare(URI.create("http://127.0.0.1:" + tracker.getLocalPort() + "/announce?x=1"));
            HttpPreload.prepare(URI.create("https://127.0.0.1:" + tracker.getLocalPort() + "/announce"));
            tracker.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, tracker::accept, "the preload opened a connection");
        }
    }

    @Test
    void urlsItCannotUseAreLeftToTheRequest()
    {
        assertFalse(HttpPreload.prepare(URI.create("udp://127.0.0.1:6969/announce")), "not http: nothing prepared");
        assertFalse(HttpPreload.prepare(URI.create("mailto:tracker@example.org")));
        // http URLs the JDK refuses (a port out of range, no host) do not throw: the request itself reports them
        assertTrue(HttpPreload.prepare(URI.create("http://127.0.0.1:99999/announce")));
        assertTrue(HttpPreload.prepare(URI.create("http:/announce")));
    }
}
