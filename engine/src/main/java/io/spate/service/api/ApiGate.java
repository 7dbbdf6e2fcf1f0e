package io.spate.service.api;

/**
 * Lets requests into the API until it closes, and counts those not yet answered, so the server can stop in order:
 * refuse new requests (503), wait for those in flight to be answered, and only then stop the threads that write the
 * answers (a reply written after its event loop stopped is lost, and Netty logs it as SEVERE).
 */
final class ApiGate
{
    private int inFlight;
    private boolean closed;

    /** @return true when the request may be served (answer it, then call {@link #exit}); false once closing. */
    synchronized boolean enter()
    {
        if (closed)
        {
            return false;
        }
        inFlight++;
        return true;
    }

    /** The request entered has been answered (or dropped). */
    synchronized void exit()
    {
        inFlight--;
        if (inFlight == 0)
        {
            notifyAll();
        }
    }

    /**
     * Refuses every request from now on and waits until those in flight are answered, at most {@code timeoutMs}.
     *
     * @return requests still in flight when the wait ended (0: all answered).
     */
    synchronized int close(final long timeoutMs) throws InterruptedException
    {
        closed = true;
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        long leftNs;
        while (inFlight > 0 && (leftNs = deadline - System.nanoTime()) > 0)
        {
            wait(Math.max(1, leftNs / 1_000_000L));
        }
        return inFlight;
    }
}
