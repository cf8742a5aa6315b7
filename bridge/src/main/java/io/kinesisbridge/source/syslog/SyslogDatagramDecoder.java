package io.kinesisbridge.source.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** One UDP datagram is one syslog message (RFC 5426); one longer than the maximum is cut to it and marked. */
@ChannelHandler.Sharable
public final class SyslogDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private final int maxMessageBytes;

    public SyslogDatagramDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        int size = content.readableBytes();
        if (size == 0) {
            return;
        }
        byte[] bytes = new byte[Math.min(size, maxMessageBytes)];
        content.getBytes(content.readerIndex(), bytes);
        out.add(new DefaultAddressedEnvelope<>(new SyslogFrame(bytes, size), packet.recipient(), packet.sender()));
    }
}
