package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.net.CannotListenException;
import io.kinesisbridge.testing.FreePorts;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A taken syslog or endpoint port stops the start, before Camel starts a route, with the one line
 * ({@link CannotListenException}) that BridgeMain prints.
 */
class TakenListenerPortTest {

    @TempDir
    Path dataDir;

    private static String lineOf(Throwable e) {
        CannotListenException listen = CannotListenException.in(e);
        assertThat(listen)
                .as("a CannotListenException among the causes of %s", e)
                .isNotNull();
        return listen.getMessage();
    }

    @Test
    void syslogPortTakenForTcp_namesTheSettingAndTheAddress() throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> RunningBridge.start(
                            dataDir,
                            Map.of("bridge.syslog.enabled", "true", "bridge.syslog.port", String.valueOf(port))))
                    .satisfies(e -> assertThat(lineOf(e))
                            .isEqualTo("cannot listen on 127.0.0.1:" + port
                                    + " (bridge.syslog.port): address already in use (TCP)"));
        }
    }

    @Test
    void syslogUdpPortSharedOutBySO_REUSEADDR_isTakenToo() throws Exception {
        try (DatagramSocket other = new DatagramSocket(null)) {
            other.setReuseAddress(true);
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = other.getLocalPort();
            assertThatThrownBy(() -> RunningBridge.start(
                            dataDir,
                            Map.of("bridge.syslog.enabled", "true", "bridge.syslog.port", String.valueOf(port))))
                    .satisfies(e -> assertThat(lineOf(e))
                            .isEqualTo("cannot listen on 127.0.0.1:" + port
                                    + " (bridge.syslog.port): address already in use (UDP)"));
        }
    }

    @Test
    void endpointPortTaken_namesItsSetting() throws Exception {
        int port = FreePorts.tcp();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> RunningBridge.start(dataDir, Map.of("bridge.endpoint.port", String.valueOf(port))))
                    .satisfies(e -> assertThat(lineOf(e))
                            .isEqualTo("cannot listen on 127.0.0.1:" + port
                                    + " (bridge.endpoint.port): address already in use"));
        }
    }
}
