package io.kinesisbridge.source.syslog;

import io.netty.channel.ChannelHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * The decoders the syslog routes give camel-netty ({@code decoders=#syslogTcpFraming} and
 * {@code #syslogUdpDatagrams}): factories, because a TCP frame decoder holds per-connection state.
 */
public final class SyslogCodecs {

    /** The size of the UDP receive buffer: the largest UDP payload, so that the kernel never cuts a datagram. */
    public static final int UDP_RECEIVE_BUFFER = 65_536;

    private SyslogCodecs() {
    }

    public static DefaultChannelHandlerFactory tcpFraming(int maxMessageBytes) {
        return new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new SyslogFrameDecoder(maxMessageBytes);
            }
        };
    }

    public static DefaultChannelHandlerFactory udpDatagrams(int maxMessageBytes) {
        SyslogDatagramDecoder shared = new SyslogDatagramDecoder(maxMessageBytes);
        return new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return shared;
            }
        };
    }
}
