package io.spate.tracker.server;

import io.spate.bencode.BencodeWriter;
import org.agrona.concurrent.EpochClock;

/**
 * Turns the query of an announce or scrape into a bencoded reply: parser, registry and encoder together, with the
 * reusable objects they work on. Knows query strings but not HTTP. Confined to one thread (the event loop of
 * {@link HttpTrackerServer}); nothing is allocated per request on the success path.
 */
public final class TrackerService
{
    private final SwarmRegistry registry;
    private final EpochClock clock;
    private final AnnounceRequestParser parser;
    private final ReplyEncoder encoder = new ReplyEncoder();
    private final AnnounceRequest announce = new AnnounceRequest();
    private final ScrapeRequest scrape = new ScrapeRequest();
    private final AnnounceResult result = new AnnounceResult();
    private final ScrapeStats stats = new ScrapeStats();
    private long badRequests;

    public TrackerService(final SwarmRegistry registry, final EpochClock clock)
    {
        this.registry = registry;
        this.clock = clock;
        this.parser = new AnnounceRequestParser(registry.config().trustIpParam());
    }

    public SwarmRegistry registry()
    {
        return registry;
    }

    /**
     * Answers an announce.
     *
     * @param target    the request target (path and query).
     * @param queryFrom index of the first character after {@code ?}, or {@code target.length()}.
     * @param sourceHi  high 64 bits of the connection's source address ({@link PeerAddress}).
     * @param sourceLo  low 64 bits of the connection's source address.
     * @return the writer holding the reply (valid until the next call).
     */
    public BencodeWriter announce(final CharSequence target, final int queryFrom, final long sourceHi,
        final long sourceLo)
    {
        final String failure = parser.parseAnnounce(target, queryFrom, announce);
        if (failure != null)
        {
            badRequests++;
            return encoder.failure(failure);
        }
        final long hi = announce.hasIp() ? announce.ipHi() : sourceHi;
        final long lo = announce.hasIp() ? announce.ipLo() : sourceLo;
        registry.announce(announce.infoHash(), 0, announce.peerId(), 0, hi, lo, announce.port(), announce.left(),
            announce.event(), announce.numWant(), clock.time(), result);
        return encoder.announce(result, announce.compact(), announce.noPeerId());
    }

    /** Answers a scrape; arguments as for {@link #announce}. */
    public BencodeWriter scrape(final CharSequence target, final int queryFrom)
    {
        final String failure = parser.parseScrape(target, queryFrom, scrape);
        if (failure != null)
        {
            badRequests++;
            return encoder.failure(failure);
        }
        return encoder.scrape(scrape, registry, clock.time(), stats);
    }

    /** Drops expired peers and empty swarms; returns the peers removed. */
    public int expire()
    {
        return registry.expire(clock.time());
    }

    /** @return requests refused by the parser. */
    public long badRequests()
    {
        return badRequests;
    }
}
