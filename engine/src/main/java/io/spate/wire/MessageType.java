package io.spate.wire;

/**
 * Peer wire message ids: BEP 3 (0-8), BEP 5 (PORT), BEP 6 fast extension (0x0D-0x11) and BEP 10 (EXTENDED).
 */
public final class MessageType
{
    public static final byte CHOKE = 0;
    public static final byte UNCHOKE = 1;
    public static final byte INTERESTED = 2;
    public static final byte NOT_INTERESTED = 3;
    public static final byte HAVE = 4;
    public static final byte BITFIELD = 5;
    public static final byte REQUEST = 6;
    public static final byte PIECE = 7;
    public static final byte CANCEL = 8;
    public static final byte PORT = 9;
    public static final byte SUGGEST_PIECE = 0x0D;
    public static final byte HAVE_ALL = 0x0E;
    public static final byte HAVE_NONE = 0x0F;
    public static final byte REJECT_REQUEST = 0x10;
    public static final byte ALLOWED_FAST = 0x11;
    public static final byte EXTENDED = 20;

    private MessageType()
    {
    }

    /** @return true for the ids BEP 6 adds, which are only legal once both sides set the fast bit. */
    public static boolean isFast(final int id)
    {
        return id >= SUGGEST_PIECE && id <= ALLOWED_FAST;
    }

    /** @return a short name for logs and error messages ("UNKNOWN" for ids this codec does not know). */
    public static String name(final int id)
    {
        switch (id)
        {
            case CHOKE: return "CHOKE";
            case UNCHOKE: return "UNCHOKE";
            case INTERESTED: return "INTERESTED";
            case NOT_INTERESTED: return "NOT_INTERESTED";
            case HAVE: return "HAVE";
            case BITFIELD: return "BITFIELD";
            case REQUEST: return "REQUEST";
            case PIECE: return "PIECE";
            case CANCEL: return "CANCEL";
            case PORT: return "PORT";
            case SUGGEST_PIECE: return "SUGGEST_PIECE";
            case HAVE_ALL: return "HAVE_ALL";
            case HAVE_NONE: return "HAVE_NONE";
            case REJECT_REQUEST: return "REJECT_REQUEST";
            case ALLOWED_FAST: return "ALLOWED_FAST";
            case EXTENDED: return "EXTENDED";
            default: return "UNKNOWN";
        }
    }
}
