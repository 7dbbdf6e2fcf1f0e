package io.spate.agent;

import io.spate.Context;
import io.spate.choke.Choker;

/**
 * How a torrent shares: the seed's choking, super-seeding (BEP 16) when it starts as a seed, and the experiment-only
 * free-rider that never uploads; and whether pieces are picked in order (streaming) rather than rarest first.
 */
record SessionOptions(Choker.SeedChoking seedChoking, int unchokeSlots, boolean superSeed, boolean freeRider,
    boolean sequential)
{
    static final SessionOptions DEFAULTS =
        new SessionOptions(Choker.SeedChoking.FASTEST, Choker.DEFAULT_REGULAR_SLOTS, false, false, false);

    static SessionOptions of(final Context ctx)
    {
        return new SessionOptions(ctx.seedChoking(), ctx.unchokeSlots(), ctx.superSeed(), ctx.freeRider(),
            ctx.sequential());
    }
}
