package io.kinesisbridge.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.MoquetteBroker;
import io.kinesisbridge.testing.MqttPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped MQTT route over MQTT 3.1.1 against Moquette: wildcards, a payload-field key, a broker that comes and goes. */
@Tag("slow")
class MqttMoquetteTest {

    @TempDir
    Path dir;

    private static long count(RunningBridge b, String marker) {
        return b.records("telemetry").stream().filter(d -> d.contains(marker)).count();
    }

    /** The readiness of the MQTT consumer; not there at all (not yet registered) counts as neither up nor down. */
    private static Optional<HealthCheck.State> mqttReadiness(RunningBridge bridge) {
        return HealthCheckHelper.invokeReadiness(bridge.context()).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:mqtt-telemetry"))
                .map(HealthCheck.Result::getState)
                .findFirst();
    }

    private static boolean mqttReady(RunningBridge bridge) {
        return mqttReadiness(bridge).orElse(null) == HealthCheck.State.UP;
    }

    @Test
    void brokerDownAtStart_thenUp_thenRestarted_bridgeKeepsWorkingAndCatchesUp() throws Exception {
        int mqttPort = FreePorts.tcp();
        int httpPort = FreePorts.tcp();
        try (RunningBridge bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.mqtt.enabled",
                        "true",
                        "bridge.mqtt.broker-url",
                        "tcp://127.0.0.1:" + mqttPort,
                        "bridge.mqtt.version",
                        "3.1.1",
                        "bridge.mqtt.topics",
                        "telemetry/+/temp,alerts/#",
                        "bridge.mqtt.partition-key",
                        "json:/device",
                        "bridge.mqtt.reconnect-max-delay-ms",
                        "500",
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(httpPort)))) {
            // no broker: the bridge is up and the other routes answer
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/clickstream"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u1\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(bridge.context()
                            .getRouteController()
                            .getRouteStatus("mqtt-telemetry")
                            .isStarted())
                    .isTrue();
            // but it is not ready: the MQTT consumer cannot receive
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> mqttReadiness(bridge).isPresent());
            assertThat(mqttReadiness(bridge)).contains(HealthCheck.State.DOWN);

            try (MoquetteBroker broker = MoquetteBroker.start(mqttPort);
                    MqttPublisher pub = MqttPublisher.v3(broker.url())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    pub.publish("alerts/probe", "{\"device\":\"probe\",\"p\":\"first\"}", 1);
                    return count(bridge, "first") > 0;
                });
                for (int i = 0; i < 300; i++) {
                    pub.publish(
                            "telemetry/dev-" + (i % 3) + "/temp",
                            "{\"device\":\"d" + (i % 3) + "\",\"a\":" + i + "}",
                            1);
                }
                pub.publish("telemetry/dev-1/humidity", "{\"device\":\"d1\",\"a\":-1}", 1); // not matched
                await().atMost(Duration.ofSeconds(20)).until(() -> count(bridge, "\"a\"") >= 300);
                assertThat(mqttReady(bridge)).isTrue();
            }
            // the broker went away and comes back (Moquette keeps nothing in memory mode): the bridge reconnects
            try (MoquetteBroker broker = MoquetteBroker.start(mqttPort);
                    MqttPublisher pub = MqttPublisher.v3(broker.url())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    pub.publish("alerts/probe", "{\"device\":\"probe\",\"p\":\"second\"}", 1);
                    return count(bridge, "second") > 0;
                });
                for (int i = 300; i < 400; i++) {
                    pub.publish(
                            "telemetry/dev-" + (i % 3) + "/temp",
                            "{\"device\":\"d" + (i % 3) + "\",\"a\":" + i + "}",
                            1);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> count(bridge, "\"a\"") >= 400);
            }
            List<StreamRecord> records = bridge.streamRecords("telemetry").stream()
                    .filter(x -> new String(x.data(), StandardCharsets.UTF_8).contains("\"a\""))
                    .toList();
            assertThat(records.stream()
                            .map(x -> new String(x.data(), StandardCharsets.UTF_8))
                            .toList())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 400)
                            .mapToObj(i -> "{\"device\":\"d" + (i % 3) + "\",\"a\":" + i + "}")
                            .toList());
            assertThat(records.stream().map(StreamRecord::partitionKey).distinct())
                    .containsExactlyInAnyOrder("d0", "d1", "d2");
        }
    }
}
