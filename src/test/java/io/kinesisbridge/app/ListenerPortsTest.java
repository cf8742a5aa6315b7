package io.kinesisbridge.app;

import io.kinesisbridge.testing.FreePorts;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A taken listener port stops the start before Camel with one line naming the setting and the address. */
class ListenerPortsTest {

    private static BridgeSettings settings(Map<String, String> values) {
        return BridgeSettings.load(Optional.empty(), Map.of(), values);
    }

    @Test
    void syslogPortTakenForTcp_namesTheSettingAndTheAddress() throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> BridgeMain.create(new String[]{"--bridge.syslog.port=" + port, "--bridge.endpoint.port=0"},
                    Map.of(), true))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Setting bridge.syslog.port: cannot listen for syslog on TCP 127.0.0.1:" + port)
                    .hasMessageContaining("bridge.syslog.enabled=false")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void syslogPortTakenForUdpOnly_namesTheSettingAndTheAddress() throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThatThrownBy(() -> ListenerPorts.requireFree(settings(Map.of("bridge.syslog.port", String.valueOf(port),
                    "bridge.endpoint.port", "0"))))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Setting bridge.syslog.port: cannot listen for syslog on UDP 127.0.0.1:" + port);
        }
    }

    @Test
    void endpointPortTaken_namesItsSetting_andDisabledListenersAreNotChecked() throws Exception {
        int port = FreePorts.tcp();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ListenerPorts.requireFree(settings(Map.of("bridge.syslog.enabled", "false",
                    "bridge.endpoint.port", String.valueOf(port)))))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Setting bridge.endpoint.port: cannot listen for the Kinesis endpoint on TCP 127.0.0.1:" + port);
            assertThatCode(() -> ListenerPorts.requireFree(settings(Map.of("bridge.syslog.enabled", "false",
                    "bridge.endpoint.enabled", "false", "bridge.endpoint.port", String.valueOf(port))))).doesNotThrowAnyException();
        }
    }
}
