package io.spate.tracker.client;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;

/**
 * The first-time work of the JDK's HTTP client, done ahead on a thread that would otherwise wait: the URL handler,
 * {@link HttpURLConnection}'s statics (its properties, a regular expression), the platform logger it asks at every
 * request, and the socket implementation. Nothing is connected or sent. In a fresh JVM this is most of the first
 * announce's time before its connect (tools/startup/timeline.py: 100-130 ms of a loaded 2-core machine between the
 * announcer's start and the tracker's connect), and a leecher's first peers wait for that announce.
 */
public final class HttpPreload
{
    private HttpPreload()
    {
    }

    /**
     * Prepares for a request to this http or https URL (any other is left alone); an error here only means the
     * request itself will meet it.
     */
    public static void prepare(final URI url)
    {
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme()))
        {
            return;
        }
        try
        {
            final HttpURLConnection connection = (HttpURLConnection)url.toURL().openConnection(Proxy.NO_PROXY);
            connection.setUseCaches(false);
            System.getLogger(HttpURLConnection.class.getName()).isLoggable(System.Logger.Level.DEBUG);
            new Socket(Proxy.NO_PROXY).close();
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            // not a URL the JDK's HTTP client takes: the request itself reports that
        }
    }
}
