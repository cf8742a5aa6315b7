package io.kinesisbridge.source.syslog;

import io.kinesisbridge.net.CannotListenException;
import io.kinesisbridge.net.ConnectionStats;
import io.kinesisbridge.net.EventSummary;
import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.net.ListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.Service;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the syslog routes give camel-netty, by name in the registry: for TCP, {@code #syslogTcpGuard} (connection
 * limit and idle timeout, first in each connection's pipeline) and {@code #syslogTcpFraming}; for UDP,
 * {@code #syslogUdpWatch} (finds the bound socket's drop counter) and {@code #syslogUdpDatagrams}. Factories,
 * because the TCP handlers hold per-connection state. A Camel service: it binds the meters and, every check
 * interval, reads the UDP drops and sums up refused connections in the log.
 */
public final class SyslogListeners implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogListeners.class);
    private static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);

    private final SyslogListenerSettings settings;
    private final Supplier<Optional<MeterRegistry>> registry;
    private final ConnectionStats tcp = new ConnectionStats("syslog-tcp", List.of(SyslogTcpGuard.IDLE));
    private final EventSummary refusals;
    private final SyslogUdpDrops drops;
    private boolean metered;
    private ScheduledExecutorService housekeeping;

    public SyslogListeners(SyslogListenerSettings settings, Supplier<Optional<MeterRegistry>> registry) {
        this.settings = settings;
        this.registry = registry;
        this.drops = new SyslogUdpDrops(settings, registry);
        this.refusals = new EventSummary(
                "Syslog TCP: connections refused because " + settings.maxConnections()
                        + " were open (bridge.syslog.max-connections)",
                SUMMARY_INTERVAL,
                LOG::warn);
    }

    /**
     * Binds and releases the syslog address for TCP and for UDP, so that a taken port stops the start before Camel
     * binds it (camel-netty would log a trace and stop half-started). UDP is bound as the route binds it, without
     * SO_REUSEADDR: a port another process shares out is taken too.
     *
     * @throws CannotListenException naming bridge.syslog.port
     */
    public static void requireFree(String host, int port) {
        ListenAddress address = new ListenAddress(host, port, "bridge.syslog.port");
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Netty binds: a port in TIME_WAIT is free
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            throw new CannotListenException(address, new BindException(e.getMessage() + " (TCP)"));
        }
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            throw new CannotListenException(address, new BindException(e.getMessage() + " (UDP)"));
        }
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
        if (housekeeping == null) {
            housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "syslog-listeners");
                t.setDaemon(true);
                return t;
            });
            long every = settings.udpDropCheckInterval().toMillis();
            housekeeping.scheduleWithFixedDelay(
                    () -> {
                        drops.check();
                        refusals.flush();
                    },
                    every,
                    every,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
            housekeeping = null;
        }
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
