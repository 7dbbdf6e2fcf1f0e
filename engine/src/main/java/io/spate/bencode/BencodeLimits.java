package io.spate.bencode;

/**
 * Bounds the decoder enforces before it allocates anything, so hostile input costs no more than its own size.
 *
 * @param maxDepth        deepest nesting of lists and dictionaries.
 * @param maxStringLength longest byte string.
 * @param maxInputLength  longest input accepted at all.
 * @param maxElements     most values in the whole document (bounds object count for inputs of tiny values).
 */
public record BencodeLimits(int maxDepth, int maxStringLength, int maxInputLength, int maxElements)
{
    /** Defaults for .torrent files and tracker replies: 100 levels (as libtorrent), 64 MiB strings and input. */
    public static final BencodeLimits DEFAULT = new BencodeLimits(100, 64 << 20, 64 << 20, 4_000_000);

    public BencodeLimits
    {
        if (maxDepth < 1 || maxStringLength < 0 || maxInputLength < 0 || maxElements < 1)
        {
            throw new IllegalArgumentException("bencode limits must be positive");
        }
    }
}
