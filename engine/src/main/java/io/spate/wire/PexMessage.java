package io.spate.wire;

import io.spate.bencode.BValue;
import io.spate.bencode.BencodeDecoder;
import io.spate.bencode.BencodeException;
import io.spate.bencode.BencodeLimits;
import io.spate.bencode.BencodeWriter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A BEP 11 {@code ut_pex} message (an extended message): {@code added} / {@code added6} contacts in compact form (6
 * or 18 bytes each) with {@code added.f} / {@code added6.f} flags, and {@code dropped} / {@code dropped6}. Control
 * path (one message a minute per peer): coding allocates. What a peer tells is untrusted: decoding bounds it.
 */
public final class PexMessage
{
    /** The extended id Spate receives ut_pex messages on (it says so in its extension handshake). */
    public static final int OUR_EXTENDED_ID = 1;
    /** BEP 11: no more than 50 added (or dropped) contacts a message, the first excepted; we take at most this. */
    public static final int MAX_CONTACTS = 100;
    /** Flag: the contact is a seed. */
    public static final int FLAG_SEED = 0x02;
    /** Flag: we connected to the contact, so it is reachable. */
    public static final int FLAG_REACHABLE = 0x10;

    private static final int MAX_MESSAGE_LENGTH = 8 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, 4096, MAX_MESSAGE_LENGTH, 64);

    private PexMessage()
    {
    }

    /**
     * @param added        contacts now connected, each with its flags in {@code addedFlags} (same order).
     * @param dropped      contacts no longer connected.
     * @return the bencoded dictionary; IPv4 and IPv6 contacts go to their own keys.
     */
    public static byte[] encode(final List<InetSocketAddress> added, final byte[] addedFlags,
        final Collection<InetSocketAddress> dropped)
    {
        final Compact added4 = new Compact();
        final Compact added6 = new Compact();
        for (int i = 0; i < added.size(); i++)
        {
            (added.get(i).getAddress().getAddress().length == 4 ? added4 : added6).add(added.get(i), addedFlags[i]);
        }
        final Compact dropped4 = new Compact();
        final Compact dropped6 = new Compact();
        for (final InetSocketAddress contact : dropped)
        {
            (contact.getAddress().getAddress().length == 4 ? dropped4 : dropped6).add(contact, (byte)0);
        }
        // keys in byte order: added, added.f, added6, added6.f, dropped, dropped6 (BEP 11: at least one present)
        final BencodeWriter w = new BencodeWriter(64 + 25 * (added.size() + dropped.size())).startDict();
        w.string("added").bytes(added4.contacts.toByteArray(), 0, added4.contacts.size());
        w.string("added.f").bytes(added4.flags.toByteArray(), 0, added4.flags.size());
        if (added6.count > 0)
        {
            w.string("added6").bytes(added6.contacts.toByteArray(), 0, added6.contacts.size());
            w.string("added6.f").bytes(added6.flags.toByteArray(), 0, added6.flags.size());
        }
        w.string("dropped").bytes(dropped4.contacts.toByteArray(), 0, dropped4.contacts.size());
        if (dropped6.count > 0)
        {
            w.string("dropped6").bytes(dropped6.contacts.toByteArray(), 0, dropped6.contacts.size());
        }
        return w.end().toByteArray();
    }

    /**
     * @return the added contacts (IPv4 then IPv6, at most {@link #MAX_CONTACTS}, port 0 left out), or null when the
     * payload is not a dictionary or a contact string's length is not a whole number of contacts (never throws).
     */
    public static List<InetSocketAddress> decodeAdded(final byte[] payload, final int offset, final int length)
    {
        if (length < 0 || length > MAX_MESSAGE_LENGTH || offset < 0 || offset > payload.length - length)
        {
            return null;
        }
        final BValue root;
        try
        {
            root = new BencodeDecoder(LIMITS, false).decode(payload, offset, length);
        }
        catch (final BencodeException ex)
        {
            return null;
        }
        if (!(root instanceof BValue.BDict dict))
        {
            return null;
        }
        final List<InetSocketAddress> added = new ArrayList<>();
        if (!contacts(dict.get("added"), 4, added) || !contacts(dict.get("added6"), 16, added))
        {
            return null;
        }
        return added;
    }

    private static boolean contacts(final BValue value, final int addressLength, final List<InetSocketAddress> out)
    {
        if (value == null)
        {
            return true;
        }
        if (!(value instanceof BValue.BString s) || s.bytes().length % (addressLength + 2) != 0)
        {
            return false;
        }
        final byte[] b = s.bytes();
        for (int at = 0; at < b.length && out.size() < MAX_CONTACTS; at += addressLength + 2)
        {
            final int port = (b[at + addressLength] & 0xFF) << 8 | b[at + addressLength + 1] & 0xFF;
            if (port == 0)
            {
                continue;
            }
            final byte[] address = new byte[addressLength];
            System.arraycopy(b, at, address, 0, addressLength);
            try
            {
                out.add(new InetSocketAddress(InetAddress.getByAddress(address), port));
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException("a 4- or 16-byte address is always valid", ex);
            }
        }
        return true;
    }

    /** Contacts of one family in compact form, with their flags. */
    private static final class Compact
    {
        final java.io.ByteArrayOutputStream contacts = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream flags = new java.io.ByteArrayOutputStream();
        int count;

        void add(final InetSocketAddress contact, final byte flag)
        {
            contacts.writeBytes(contact.getAddress().getAddress());
            contacts.write(contact.getPort() >>> 8);
            contacts.write(contact.getPort() & 0xFF);
            flags.write(flag);
            count++;
        }
    }
}
