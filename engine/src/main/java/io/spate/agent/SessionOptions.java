package io.spate.agent;

import io.spate.Context;
import io.spate.choke.Choker;

/**
 * How a torrent shares: the seed's choking, super-seeding (BEP 16) when it starts as a seed, and the experiment-only
 * free-rider that never uploads.
 */
record SessionOptions(Choker.SeedChoking seedChoking, int unchokeSlots, boolean superSeed, boolean freeRider)
{
    static final SessionOptions DEFAULTS =
        new SessionOptions(Choker.SeedChoking.FASTEST, Choker.DEFAULT_REGULAR_SLOTS, false, false);

    static SessionOptions of(final Context ctx)
    {
        return new SessionOptions(ctx.seedChoking(), ctx.unchokeSlots(), ctx.superSeed(), ctx.freeRider());
    }
}
