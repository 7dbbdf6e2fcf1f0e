package io.spate.tracker.client;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertThrows;

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
        HttpPreload.prepare(URI.create("udp://127.0.0.1:6969/announce")); // not http: nothing to prepare
        HttpPreload.prepare(URI.create("mailto:tracker@example.org"));
        HttpPreload.prepare(URI.create("http://127.0.0.1:99999/announce")); // a port URL refuses
        HttpPreload.prepare(URI.create("http:/announce")); // no host
    }
}
