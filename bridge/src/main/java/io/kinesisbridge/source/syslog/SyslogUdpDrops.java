package io.kinesisbridge.source.syslog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagrams the kernel threw away on the syslog UDP socket because they came faster than the bridge read them and
 * the socket's receive buffer was full. UDP has no way to slow a sender, so these are lost; the kernel counts them
 * (Linux: {@link UdpSocketTable}) and this makes them visible: the counter
 * {@code kinesis_bridge_syslog_udp_drops_total}, the gauge {@code kinesis_bridge_syslog_udp_receive_buffer_bytes}
 * (the buffer the kernel granted), and a WARN at most once per interval while the count grows. Where the kernel
 * does not tell (not Linux), there are no such meters and the start says so once.
 */
final class SyslogUdpDrops {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogUdpDrops.class);

    private final SyslogListenerSettings settings;
    private final Supplier<Optional<MeterRegistry>> registry;
    private Watched watched;
    /** Drops of sockets closed earlier (a restarted route binds a new socket, whose count starts at 0). */
    private long earlierSockets;

    private long warnedUpTo;
    private boolean metered;

    private record Watched(long inode, InetSocketAddress address, int receiveBufferBytes, long[] lastSeen) {}

    SyslogUdpDrops(SyslogListenerSettings settings, Supplier<Optional<MeterRegistry>> registry) {
        this.settings = settings;
        this.registry = registry;
    }

    /** The route's UDP socket is bound: find it in the kernel's table and start watching it. */
    synchronized void bound(Channel channel) {
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        int granted = channel instanceof DatagramChannel udp ? udp.config().getReceiveBufferSize() : -1;
        Optional<Long> inode = UdpSocketTable.ownSocket(address.getPort());
        if (inode.isEmpty()) {
            LOG.info(
                    "Syslog UDP on {}: this system does not count the datagrams it drops when the receive buffer is full "
                            + "(Linux's /proc/net/udp), so such losses cannot be reported; use TCP where nothing may be lost",
                    address);
            return;
        }
        // Linux caps the request at net.core.rmem_max (and doubles it for its bookkeeping, which Java hides again)
        if (granted >= 0 && granted < settings.udpReceiveBufferBytes()) {
            LOG.warn(
                    "Syslog UDP on {}: asked for a {} byte receive buffer (bridge.syslog.udp-receive-buffer-bytes), the "
                            + "kernel granted {} (net.core.rmem_max is {}); raise net.core.rmem_max for a larger buffer",
                    address,
                    settings.udpReceiveBufferBytes(),
                    granted,
                    rmemMax());
        } else {
            LOG.debug(
                    "Syslog UDP on {}: receive buffer {} bytes; datagrams that arrive while it is full are dropped by "
                            + "the kernel and counted in kinesis_bridge_syslog_udp_drops_total",
                    address,
                    granted);
        }
        watched = new Watched(inode.get(), address, granted, new long[1]);
        if (!metered) {
            registry.get().ifPresent(r -> {
                FunctionCounter.builder("kinesis.bridge.syslog.udp.drops", this, SyslogUdpDrops::drops)
                        .description(
                                "Syslog datagrams the kernel dropped because the UDP socket's receive buffer was full")
                        .register(r);
                Gauge.builder(
                                "kinesis.bridge.syslog.udp.receive.buffer.bytes",
                                this,
                                SyslogUdpDrops::receiveBufferBytes)
                        .description("Receive buffer the kernel granted the syslog UDP socket")
                        .register(r);
                metered = true;
            });
        }
    }

    /** The socket was closed (the route stopped): keep its count. */
    synchronized void unbound() {
        if (watched != null) {
            earlierSockets += watched.lastSeen()[0];
            watched = null;
        }
    }

    /** Datagrams dropped so far, over every socket this watched. */
    synchronized long drops() {
        if (watched == null) {
            return earlierSockets;
        }
        UdpSocketTable.drops(watched.inode()).ifPresent(d -> watched.lastSeen()[0] = d);
        return earlierSockets + watched.lastSeen()[0];
    }

    synchronized double receiveBufferBytes() {
        return watched == null ? Double.NaN : watched.receiveBufferBytes();
    }

    /** Logs a WARN when the count grew since the last check: call it every check interval. */
    void check() {
        long total = drops();
        InetSocketAddress address;
        int buffer;
        synchronized (this) {
            if (total <= warnedUpTo) {
                return;
            }
            long fresh = total - warnedUpTo;
            warnedUpTo = total;
            address = watched == null ? null : watched.address();
            buffer = watched == null ? -1 : watched.receiveBufferBytes();
            LOG.warn(
                    "Syslog UDP on {}: the kernel dropped {} datagram(s) in the last {} s ({} since start): they came faster "
                            + "than the bridge read them and the {} byte receive buffer was full. Send bursts over TCP (which slows "
                            + "the sender instead), or raise bridge.syslog.udp-receive-buffer-bytes and net.core.rmem_max",
                    address,
                    fresh,
                    settings.udpDropCheckInterval().toSeconds(),
                    total,
                    buffer);
        }
    }

    private static String rmemMax() {
        try {
            // not readString: /proc files report a size of 0
            return String.join("", Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")))
                    .trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
