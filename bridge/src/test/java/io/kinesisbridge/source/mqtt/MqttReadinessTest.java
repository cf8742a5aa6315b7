package io.kinesisbridge.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness of the MQTT source means subscribed: a broker drops what is published to a topic nobody subscribes to,
 * so a client that waits for readiness and then publishes (as the IoT example does) must not be told "ready" while
 * the connection is still being set up.
 */
class MqttReadinessTest {

    @TempDir
    Path dir;

    @Test
    void whileTheBrokerHasNotAnsweredTheConnect_theMqttSourceIsNotReady() throws Exception {
        // accepts the TCP connection and never answers CONNECT: the client stays in the middle of connecting
        try (ServerSocket silentBroker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silentBroker.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (RunningBridge bridge = RunningBridge.start(
                    dir,
                    Map.of(
                            "bridge.mqtt.enabled",
                            "true",
                            "bridge.mqtt.broker-url",
                            "tcp://127.0.0.1:" + silentBroker.getLocalPort()))) {
                try (Socket connection = accepted.get(30, TimeUnit.SECONDS)) {
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> mqttReadiness(bridge).isPresent());
                    assertThat(mqttReadiness(bridge))
                            .as("readiness while CONNECT is unanswered")
                            .contains(HealthCheck.State.DOWN);
                    assertThat(connection.isConnected()).isTrue();
                }
            }
        }
    }

    private static Optional<HealthCheck.State> mqttReadiness(RunningBridge bridge) {
        return HealthCheckHelper.invokeReadiness(bridge.context()).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:mqtt-telemetry"))
                .map(HealthCheck.Result::getState)
                .findFirst();
    }
}
