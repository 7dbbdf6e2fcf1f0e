package io.spate.webseed;

/**
 * Why a web seed's answer was refused (an HTTP status, a wrong Content-Range, a short or long body), as a message
 * naming what was asked and what came; {@code busy} for a 503, whose Retry-After the seed is then given. No stack
 * trace: it is an answer, not a bug.
 */
final class WebSeedFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    final boolean busy;
    final long retryAfterNs;

    WebSeedFailure(final String message)
    {
        this(message, false, 0);
    }

    WebSeedFailure(final String message, final boolean busy, final long retryAfterNs)
    {
        super(message, null, false, false);
        this.busy = busy;
        this.retryAfterNs = retryAfterNs;
    }
}
