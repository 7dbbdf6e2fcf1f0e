package io.spate.wire;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Test handler that re-encodes every decoded message with {@link MessageEncoder}, so decode-then-encode can be
 * compared with the input byte for byte.
 */
final class EchoHandler implements MessageHandler
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
    public void onKeepAlive()
    {
        position += MessageEncoder.keepAlive(out, position);
    }

    @Override
    public void onChoke()
    {
        position += MessageEncoder.choke(out, position);
    }

    @Override
    public void onUnchoke()
    {
        position += MessageEncoder.unchoke(out, position);
    }

    @Override
    public void onInterested()
    {
        position += MessageEncoder.interested(out, position);
    }

    @Override
    public void onNotInterested()
    {
        position += MessageEncoder.notInterested(out, position);
    }

    @Override
    public void onHave(final int index)
    {
        position += MessageEncoder.have(out, position, index);
    }

    @Override
    public void onBitfield(final DirectBuffer buf, final int offset, final int length)
    {
        position += MessageEncoder.bitfield(out, position, buf, offset, length);
    }

    @Override
    public void onRequest(final int index, final int begin, final int length)
    {
        position += MessageEncoder.request(out, position, index, begin, length);
    }

    @Override
    public void onCancel(final int index, final int begin, final int length)
    {
        position += MessageEncoder.cancel(out, position, index, begin, length);
    }

    @Override
    public void onPiece(final int index, final int begin, final DirectBuffer buf, final int offset, final int length)
    {
        position += MessageEncoder.piece(out, position, index, begin, buf, offset, length);
    }

    @Override
    public void onPort(final int port)
    {
        position += MessageEncoder.port(out, position, port);
    }

    @Override
    public void onSuggestPiece(final int index)
    {
        position += MessageEncoder.suggestPiece(out, position, index);
    }

    @Override
    public void onHaveAll()
    {
        position += MessageEncoder.haveAll(out, position);
    }

    @Override
    public void onHaveNone()
    {
        position += MessageEncoder.haveNone(out, position);
    }

    @Override
    public void onRejectRequest(final int index, final int begin, final int length)
    {
        position += MessageEncoder.rejectRequest(out, position, index, begin, length);
    }

    @Override
    public void onAllowedFast(final int index)
    {
        position += MessageEncoder.allowedFast(out, position, index);
    }

    @Override
    public void onExtended(final int extendedId, final DirectBuffer buf, final int offset, final int length)
    {
        position += MessageEncoder.extended(out, position, extendedId, buf, offset, length);
    }
}
