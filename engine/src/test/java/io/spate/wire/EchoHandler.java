package io.spate.wire;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Test handler that re-encodes every decoded message with {@link MessageEncoder}, so decode-then-encode can be
 * compared with the input byte for byte.
 */
final class EchoHandler implements MessageHandler<Object>
{
    final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
    int position;

    byte[] bytes()
    {
        final byte[] bytes = new byte[position];
        out.getBytes(0, bytes);
        return bytes;
    }

    @Override
    public void onKeepAlive(final Object peer)
    {
        position += MessageEncoder.keepAlive(out, position);
    }

    @Override
    public void onChoke(final Object peer)
    {
        position += MessageEncoder.choke(out, position);
    }

    @Override
    public void onUnchoke(final Object peer)
    {
        position += MessageEncoder.unchoke(out, position);
    }

    @Override
    public void onInterested(final Object peer)
    {
        position += MessageEncoder.interested(out, position);
    }

    @Override
    public void onNotInterested(final Object peer)
    {
        position += MessageEncoder.notInterested(out, position);
    }

    @Override
    public void onHave(final Object peer, final int index)
    {
        position += MessageEncoder.have(out, position, index);
    }

    @Override
    public void onBitfield(final Object peer, final DirectBuffer buf, final int offset, final int length)
    {
        position += MessageEncoder.bitfield(out, position, buf, offset, length);
    }

    @Override
    public void onRequest(final Object peer, final int index, final int begin, final int length)
    {
        position += MessageEncoder.request(out, position, index, begin, length);
    }

    @Override
    public void onCancel(final Object peer, final int index, final int begin, final int length)
    {
        position += MessageEncoder.cancel(out, position, index, begin, length);
    }

    @Override
    public void onPiece(final Object peer,
        final int index, final int begin, final DirectBuffer buf, final int offset, final int length)
    {
        position += MessageEncoder.piece(out, position, index, begin, buf, offset, length);
    }

    @Override
    public void onPort(final Object peer, final int port)
    {
        position += MessageEncoder.port(out, position, port);
    }

    @Override
    public void onSuggestPiece(final Object peer, final int index)
    {
        position += MessageEncoder.suggestPiece(out, position, index);
    }

    @Override
    public void onHaveAll(final Object peer)
    {
        position += MessageEncoder.haveAll(out, position);
    }

    @Override
    public void onHaveNone(final Object peer)
    {
        position += MessageEncoder.haveNone(out, position);
    }

    @Override
    public void onRejectRequest(final Object peer, final int index, final int begin, final int length)
    {
        position += MessageEncoder.rejectRequest(out, position, index, begin, length);
    }

    @Override
    public void onAllowedFast(final Object peer, final int index)
    {
        position += MessageEncoder.allowedFast(out, position, index);
    }

    @Override
    public void onExtended(final Object peer,
        final int extendedId, final DirectBuffer buf, final int offset, final int length)
    {
        position += MessageEncoder.extended(out, position, extendedId, buf, offset, length);
    }
}
