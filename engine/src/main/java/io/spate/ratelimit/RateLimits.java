package io.spate.ratelimit;

/**
 * The engine's limits over every torrent, one bucket per direction, shared by all network agents and changed live
 * from any thread. A torrent's own buckets sit beside these: a move must pass both.
 */
public record RateLimits(TokenBucket upload, TokenBucket download)
{
    public static RateLimits of(final long uploadBytesPerSecond, final long downloadBytesPerSecond)
    {
        return new RateLimits(new TokenBucket(uploadBytesPerSecond), new TokenBucket(downloadBytesPerSecond));
    }
}
