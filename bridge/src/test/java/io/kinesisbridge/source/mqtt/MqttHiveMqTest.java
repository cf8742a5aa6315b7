package io.kinesisbridge.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HiveMqBroker;
import io.kinesisbridge.testing.MqttPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped MQTT route against embedded HiveMQ CE over MQTT 5, with a real Paho publisher. */
@Tag("slow")
class MqttHiveMqTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static HiveMqBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = HiveMqBroker.start(dir, FreePorts.tcp());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static RunningBridge bridge(String name, Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of(
                "bridge.mqtt.enabled",
                "true",
                "bridge.mqtt.broker-url",
                broker.url(),
                "bridge.mqtt.client-id",
                "bridge-" + name));
        s.putAll(extra);
        return RunningBridge.start(dir.resolve(name), s);
    }

    private static List<String> data(RunningBridge bridge) {
        return bridge.records("telemetry");
    }

    @Test
    void qos1Messages_arriveOnceEach_keyedByDevice() throws Exception {
        try (RunningBridge bridge = bridge("keyed", Map.of())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bridge.context()
                            .getRouteController()
                            .getRouteStatus("mqtt-telemetry")
                            .isStarted());
            try (MqttPublisher pub = MqttPublisher.v5(broker.url())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    pub.publish("telemetry/probe/x", "{\"probe\":true}", 1);
                    return !data(bridge).isEmpty();
                });
                for (int i = 0; i < 1000; i++) {
                    pub.publish("telemetry/dev-" + (i % 10) + "/temp", "{\"n\":" + i + "}", 1);
                }
                pub.publish("other/dev-1/temp", "{\"n\":-1}", 1); // not subscribed
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> data(bridge).stream()
                                    .filter(d -> d.contains("\"n\""))
                                    .count()
                            >= 1000);
            List<StreamRecord> records = bridge.streamRecords("telemetry").stream()
                    .filter(r -> new String(r.data(), StandardCharsets.UTF_8).contains("\"n\""))
                    .toList();
            assertThat(records.stream()
                            .map(r -> new String(r.data(), StandardCharsets.UTF_8))
                            .toList())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000)
                            .mapToObj(i -> "{\"n\":" + i + "}")
                            .toList());
            // the partition key is the device (second topic level); per device, in publish order
            Map<String, List<Integer>> byKey = records.stream()
                    .collect(Collectors.groupingBy(
                            StreamRecord::partitionKey,
                            Collectors.mapping(r -> number(r.data()), Collectors.toList())));
            assertThat(byKey).hasSize(10);
            byKey.forEach((key, ns) -> {
                assertThat(ns).isSorted();
                assertThat(ns).allMatch(n -> key.equals("dev-" + (n % 10)));
            });
        }
    }

    @Test
    void sharedSubscription_twoBridgesInOneGroup_everyMessageOnce() throws Exception {
        Map<String, String> shared =
                Map.of("bridge.mqtt.topics", "$share/fleet/fleet/+/#", "bridge.mqtt.partition-key", "json:/id");
        try (RunningBridge a = bridge("share-a", shared);
                RunningBridge b = bridge("share-b", shared);
                MqttPublisher pub = MqttPublisher.v5(broker.url())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                pub.publish("fleet/probe/x", "{\"id\":\"probe\"}", 1);
                return !data(a).isEmpty() && !data(b).isEmpty();
            });
            for (int i = 0; i < 400; i++) {
                pub.publish("fleet/dev-" + i + "/t", "{\"id\":\"" + i + "\"}", 1);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> count(a) + count(b) >= 400);
            List<String> all = new ArrayList<>(numbered(a));
            all.addAll(numbered(b));
            assertThat(all)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 400)
                            .mapToObj(i -> "{\"id\":\"" + i + "\"}")
                            .toList());
            System.out.printf("shared subscription: bridge a took %d, bridge b %d of 400%n", count(a), count(b));
        }
    }

    private static List<String> numbered(RunningBridge b) {
        return data(b).stream().filter(d -> !d.contains("probe")).toList();
    }

    private static long count(RunningBridge b) {
        return numbered(b).size();
    }

    private static int number(byte[] data) {
        try {
            return JSON.readTree(data).get("n").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
