package io.spate.wire;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * Test handler recording every callback as one readable line, payloads in hex.
 */
class RecordingHandler implements MessageHandler<Object>
{
    final List<String> events = new ArrayList<>();

    static String hex(final DirectBuffer buf, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buf.getBytes(offset, bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void onKeepAlive(final Object peer)
    {
        events.add("KEEP_ALIVE");
    }

    @Override
    public void onChoke(final Object peer)
    {
        events.add("CHOKE");
    }

    @Override
    public void onUnchoke(final Object peer)
    {
        events.add("UNCHOKE");
    }

    @Override
    public void onInterested(final Object peer)
    {
        events.add("INTERESTED");
    }

    @Override
    public void onNotInterested(final Object peer)
    {
        events.add("NOT_INTERESTED");
    }

    @Override
    public void onHave(final Object peer, final int index)
    {
        events.add("HAVE " + index);
    }

    @Override
    public void onBitfield(final Object peer, final DirectBuffer buf, final int offset, final int length)
    {
        events.add("BITFIELD " + hex(buf, offset, length));
    }

    @Override
    public void onRequest(final Object peer, final int index, final int begin, final int length)
    {
        events.add("REQUEST " + index + " " + begin + " " + length);
    }

    @Override
    public void onCancel(final Object peer, final int index, final int begin, final int length)
    {
        events.add("CANCEL " + index + " " + begin + " " + length);
    }

    @Override
    public void onPiece(final Object peer,
        final int index, final int begin, final DirectBuffer buf, final int offset, final int length)
    {
        events.add("PIECE " + index + " " + begin + " " + hex(buf, offset, length));
    }

    @Override
    public void onPort(final Object peer, final int port)
    {
        events.add("PORT " + port);
    }

    @Override
    public void onSuggestPiece(final Object peer, final int index)
    {
        events.add("SUGGEST_PIECE " + index);
    }

    @Override
    public void onHaveAll(final Object peer)
    {
        events.add("HAVE_ALL");
    }

    @Override
    public void onHaveNone(final Object peer)
    {
        events.add("HAVE_NONE");
    }

    @Override
    public void onRejectRequest(final Object peer, final int index, final int begin, final int length)
    {
        events.add("REJECT_REQUEST " + index + " " + begin + " " + length);
    }

    @Override
    public void onAllowedFast(final Object peer, final int index)
    {
        events.add("ALLOWED_FAST " + index);
    }

    @Override
    public void onExtended(final Object peer,
        final int extendedId, final DirectBuffer buf, final int offset, final int length)
    {
        events.add("EXTENDED " + extendedId + " " + hex(buf, offset, length));
    }
}
