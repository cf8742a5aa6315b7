package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped syslog routes' limits, with real sockets: TCP connection cap and idle timeout, UDP drops made visible. */
class SyslogListenerLimitsTest {

    @TempDir
    Path dataDir;

    private RunningBridge bridge;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    private void start(Map<String, String> limits) throws Exception {
        port = FreePorts.tcpAndUdp();
        Map<String, String> settings = new LinkedHashMap<>(
                Map.of("bridge.syslog.enabled", "true", "bridge.syslog.port", String.valueOf(port)));
        settings.putAll(limits);
        bridge = RunningBridge.start(dataDir, settings);
    }

    private SyslogListeners listeners() {
        return bridge.context().getRegistry().lookupByNameAndType("syslogListeners", SyslogListeners.class);
    }

    private String metrics() {
        return bridge.context()
                .getRegistry()
                .findSingleByType(PrometheusMeterRegistry.class)
                .scrape();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(s);
        return s;
    }

    private long recordsWith(String marker) {
        return bridge.records("logs").stream().filter(r -> r.contains(marker)).count();
    }

    /** Whether the peer closed the connection: a read sees the end of the stream or a reset. */
    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(20);
            InputStream in = s.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void send(Socket s, String line) throws IOException {
        s.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    @Test
    void tcpConnectionsOverTheMaximum_areClosedAtOnce_andCounted_whileTheOthersDeliver() throws Exception {
        start(Map.of("bridge.syslog.max-connections", "5"));
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(connect());
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listeners().tcpConnections().open() == 5);
        Socket sixth = connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> closedByPeer(sixth));
        assertThat(listeners().tcpConnections().refused()).isEqualTo(1);
        assertThat(metrics())
                .contains("kinesis_bridge_listener_connections_refused_total{listener=\"syslog-tcp\"} 1.0");

        send(first.get(0), "<13>1 - capped-host app - - - within-the-cap\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> recordsWith("within-the-cap") == 1);
        first.get(1).close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listeners().tcpConnections().open() == 4);
        Socket next = connect();
        send(next, "<13>1 - capped-host app - - - after-one-left\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> recordsWith("after-one-left") == 1);
    }

    @Test
    void silentTcpConnections_areClosedAfterTheIdleTimeout_andTheirMessagesKept() throws Exception {
        start(Map.of("bridge.syslog.idle-timeout-ms", "500"));
        Socket silent = connect();
        Socket talked = connect();
        send(talked, "<13>1 - idle-host app - - - then-silence\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> closedByPeer(silent) && closedByPeer(talked));
        assertThat(listeners().tcpConnections().timedOutBy(SyslogTcpGuard.IDLE)).isEqualTo(2);
        assertThat(listeners().tcpConnections().open()).isZero();
        assertThat(recordsWith("then-silence")).isEqualTo(1);
        assertThat(metrics())
                .contains("kinesis_bridge_listener_connections_timed_out_total{listener=\"syslog-tcp\"} 2.0");
    }

    @Test
    void aUdpBurstOverflowingATinyReceiveBuffer_showsEveryLostDatagramInTheDropMetric() throws Exception {
        assertThat(Files.exists(Path.of("/proc/net/udp")))
                .as("Linux counts UDP drops in /proc/net/udp")
                .isTrue();
        start(Map.of("bridge.syslog.udp-receive-buffer-bytes", "1024"));
        int sent = 20_000;
        try (DatagramSocket udp = new DatagramSocket()) {
            for (int i = 0; i < sent; i++) {
                byte[] m = ("<13>1 - burst-host app - - - udp-burst-" + i).getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
            }
        }
        // every datagram either became a record or was counted as dropped by the kernel
        await().atMost(Duration.ofSeconds(60))
                .until(() -> recordsWith("udp-burst-") + listeners().udpDrops() == sent);
        long drops = listeners().udpDrops();
        assertThat(drops).isPositive();
        assertThat(metrics()).contains("kinesis_bridge_syslog_udp_drops_total " + (double) drops);
    }
}
