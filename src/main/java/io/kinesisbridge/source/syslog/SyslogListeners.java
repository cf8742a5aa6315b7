package io.kinesisbridge.source.syslog;

import io.kinesisbridge.listener.ConnectionStats;
import io.kinesisbridge.listener.ListenerMetrics;
import io.kinesisbridge.listener.WarningThrottle;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.camel.Service;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the syslog routes give camel-netty, by name in the registry: for TCP, {@code #syslogTcpGuard} (connection
 * limit and idle timeout, first in each connection's pipeline) and {@code #syslogTcpFraming}; for UDP,
 * {@code #syslogUdpWatch} (finds the bound socket's drop counter) and {@code #syslogUdpDatagrams}. Factories,
 * because the TCP handlers hold per-connection state. A Camel service, so that the drop checker stops with the
 * context; the TCP connection meters are bound when it starts.
 */
public final class SyslogListeners implements Service {

    private final SyslogListenerSettings settings;
    private final Supplier<Optional<MeterRegistry>> registry;
    private final ConnectionStats tcp = new ConnectionStats("syslog-tcp", List.of(SyslogTcpGuard.IDLE));
    private final WarningThrottle refusals = new WarningThrottle(Duration.ofSeconds(10));
    private final SyslogUdpDrops drops;
    private boolean metered;

    public SyslogListeners(SyslogListenerSettings settings, Supplier<Optional<MeterRegistry>> registry) {
        this.settings = settings;
        this.registry = registry;
        this.drops = new SyslogUdpDrops(settings, registry);
    }

    public DefaultChannelHandlerFactory tcpGuard() {
        return factory(() -> new SyslogTcpGuard(settings, tcp, refusals));
    }

    public DefaultChannelHandlerFactory tcpFraming() {
        return factory(() -> new SyslogFrameDecoder(settings.maxMessageBytes()));
    }

    public DefaultChannelHandlerFactory udpWatch() {
        UdpWatch shared = new UdpWatch();
        return factory(() -> shared);
    }

    public DefaultChannelHandlerFactory udpDatagrams() {
        SyslogDatagramDecoder shared = new SyslogDatagramDecoder(settings.maxMessageBytes());
        return factory(() -> shared);
    }

    /** The TCP listener's connections: open, refused at the maximum, closed when idle. */
    public ConnectionStats tcpConnections() {
        return tcp;
    }

    /** Datagrams the kernel dropped on the UDP socket (0 where it does not tell). */
    public long udpDrops() {
        return drops.drops();
    }

    private static DefaultChannelHandlerFactory factory(Supplier<ChannelHandler> handlers) {
        return new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return handlers.get();
            }
        };
    }

    @Override
    public synchronized void start() {
        if (!metered) {
            registry.get().ifPresent(r -> {
                ListenerMetrics.bind(tcp, r);
                metered = true;
            });
        }
    }

    @Override
    public void stop() {
        drops.close();
    }

    /** Tells {@link SyslogUdpDrops} when the UDP socket is bound and closed. */
    @ChannelHandler.Sharable
    private final class UdpWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            drops.bound(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            drops.unbound();
            ctx.fireChannelInactive();
        }
    }
}
