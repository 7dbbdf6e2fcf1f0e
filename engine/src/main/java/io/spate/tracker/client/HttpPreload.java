package io.spate.tracker.client;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;

/**
 * The first-time work of the JDK's HTTP client, done ahead on a thread that would otherwise wait: the URL handler,
 * {@link HttpURLConnection}'s statics (its properties, a regular expression) and the socket implementation. Nothing
 * is connected or sent. In a fresh JVM this is most of the first announce's time before its connect (a median 43 ms
 * between the "started" line and the tracker's connect at load ~20, 9 ms with it: tools/startup/timeline.py,
 * perf-results/startup/20261207/timeline-ab-1.txt), and a leecher's first peers wait for that announce. Not the
 * logger HttpURLConnection asks: System.getLogger from here set up java.util.logging's LogManager, which the JDK's
 * own lazy logger never does, and cost every leecher ~0.05 CPU-s (perf-results/startup/20261207/burst-3.txt).
 */
public final class HttpPreload
{
    private HttpPreload()
    {
    }

    /**
     * Prepares for a request to this http or https URL (any other is left alone); an error here only means the
     * request itself will meet it.
     *
     * @return whether the URL was http or https (the JDK's work is the same for every such URL: one is enough).
     */
    public static boolean prepare(final URI url)
    {
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme()))
        {
            return false;
        }
        try
        {
            final HttpURLConnection connection = (HttpURLConnection)url.toURL().openConnection(Proxy.NO_PROXY);
            connection.setUseCaches(false);
            new Socket(Proxy.NO_PROXY).close();
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            // not a URL the JDK's HTTP client takes: the request itself reports that
        }
        return true;
    }
}
