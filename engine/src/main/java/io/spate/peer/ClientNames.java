package io.spate.peer;

import java.util.Map;

/**
 * Names a peer's client from its 20-byte peer id, as qBittorrent shows it (through libtorrent): the Azureus style
 * {@code -XXVVVV-} (BEP 20; two letters, four version digits 0-9 or A-Z), the Shadow style ({@code XVVV--}: one
 * letter, three version digits) and the Mainline style ({@code MV-V-V--}). Only the peer's word: a peer may claim any
 * id. The BEP 10 handshake's {@code v} is preferred where a peer sends one; this is the fallback.
 */
public final class ClientNames
{
    /** The clients seen in the wild today and a few historic ones; an unknown code is shown as its letters. */
    private static final Map<String, String> AZUREUS = Map.ofEntries(
        Map.entry("AZ", "Azureus"), Map.entry("BC", "BitComet"), Map.entry("BT", "BitTorrent"),
        Map.entry("DE", "Deluge"), Map.entry("FD", "Free Download Manager"), Map.entry("KT", "KTorrent"),
        Map.entry("LT", "libtorrent"), Map.entry("lt", "rTorrent"), Map.entry("qB", "qBittorrent"),
        Map.entry("SD", "Xunlei"), Map.entry("XL", "Xunlei"), Map.entry("SP", "Spate"),
        Map.entry("TR", "Transmission"), Map.entry("TX", "Tixati"), Map.entry("UT", "uTorrent"),
        Map.entry("UM", "uTorrent Mac"), Map.entry("UW", "uTorrent Web"), Map.entry("BI", "BiglyBT"),
        Map.entry("WW", "WebTorrent"), Map.entry("WD", "WebTorrent Desktop"), Map.entry("PI", "PicoTorrent"),
        Map.entry("AG", "Ares"), Map.entry("A2", "aria2"), Map.entry("ML", "MLDonkey"), Map.entry("MG", "MediaGet"),
        Map.entry("FL", "Folx"), Map.entry("HL", "Halite"), Map.entry("7T", "aTorrent"), Map.entry("VG", "Vagaa"));
    private static final Map<Character, String> SHADOW = Map.of('A', "ABC", 'O', "Osprey Permaseed", 'Q', "BTQueue",
        'R', "Tribler", 'S', "Shadow", 'T', "BitTornado", 'U', "UPnP NAT Bit Torrent");

    private ClientNames()
    {
    }

    /** @return the client the id names, or "Unknown [ID]" with the id's printable characters. */
    public static String of(final byte[] peerId)
    {
        if (peerId.length == 20)
        {
            final String azureus = azureus(peerId);
            if (azureus != null)
            {
                return azureus;
            }
            final String mainline = mainline(peerId);
            if (mainline != null)
            {
                return mainline;
            }
            final String shadow = shadow(peerId);
            if (shadow != null)
            {
                return shadow;
            }
        }
        final StringBuilder unknown = new StringBuilder("Unknown [");
        for (final byte b : peerId)
        {
            unknown.append(b >= 0x20 && b < 0x7f ? (char)b : '.');
        }
        return unknown.append(']').toString();
    }

    private static String azureus(final byte[] id)
    {
        if (id[0] != '-' || id[7] != '-' || !printable(id[1]) || !printable(id[2]))
        {
            return null;
        }
        final int[] version = new int[4];
        for (int i = 0; i < 4; i++)
        {
            version[i] = digit(id[3 + i]);
            if (version[i] < 0)
            {
                return null;
            }
        }
        final String code = new String(new char[] {(char)id[1], (char)id[2]});
        return name(AZUREUS.getOrDefault(code, code), version[0], version[1], version[2], version[3]);
    }

    /** {@code M7-2-2--}: one letter, then numbers separated by dashes, as BitTorrent's mainline client wrote them. */
    private static String mainline(final byte[] id)
    {
        if (!printable(id[0]) || Character.isDigit(id[0]))
        {
            return null;
        }
        final int[] version = new int[3];
        int at = 1;
        for (int part = 0; part < 3; part++)
        {
            int value = 0;
            int digits = 0;
            while (at < 20 && id[at] >= '0' && id[at] <= '9' && digits < 3)
            {
                value = value * 10 + id[at++] - '0';
                digits++;
            }
            if (digits == 0 || at >= 20 || id[at] != '-')
            {
                return null;
            }
            version[part] = value;
            at++;
        }
        if (at >= 20 || id[at] != '-')
        {
            return null;
        }
        final String letter = String.valueOf((char)id[0]);
        return name(letter.equals("M") ? "Mainline" : letter, version[0], version[1], version[2], 0);
    }

    /** {@code S587--} or {@code T03I--}: a letter, three version digits, two dashes. */
    private static String shadow(final byte[] id)
    {
        final String client = SHADOW.get((char)id[0]);
        if (client == null || id[4] != '-' || id[5] != '-')
        {
            return null;
        }
        final int major = digit(id[1]);
        final int minor = digit(id[2]);
        final int revision = digit(id[3]);
        return major < 0 || minor < 0 || revision < 0 ? null : name(client, major, minor, revision, 0);
    }

    private static String name(final String client, final int major, final int minor, final int revision,
        final int tag)
    {
        return client + " " + major + "." + minor + "." + revision + (tag != 0 ? "." + tag : "");
    }

    /** A version digit: 0-9, then A-Z for 10-35 (and a-z likewise, as some clients write them). */
    private static int digit(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'A' && b <= 'Z')
        {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'z')
        {
            return b - 'a' + 10;
        }
        return -1;
    }

    private static boolean printable(final byte b)
    {
        return b > 0x20 && b < 0x7f;
    }
}
