package io.kinesisbridge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.dispatch.DispatchStats;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.testing.FaultLedger;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT broker (a real mosquitto, persistent) restarted in the middle of a QoS 1 stream: the publisher resends
 * what the broker did not acknowledge, the bridge reconnects to its persistent session and gets what the broker
 * kept for it. Every message the broker acknowledged to the publisher arrives in Kinesis; duplicates are only
 * resends.
 */
@Tag("slow")
class MosquittoRestartIT {

    private static final int MESSAGES = 3_000;

    @TempDir
    Path dir;

    private Process mosquitto(int port) throws IOException {
        String mosquitto = Programs.require("mosquitto");
        Path conf = dir.resolve("mosquitto.conf");
        Files.createDirectories(dir.resolve("mosquitto-db"));
        // run as root (CI), mosquitto drops to user 'mosquitto', who cannot write into the test's private directory:
        // it then keeps nothing over the restart. 'user' applies only when started as root.
        Files.writeString(
                conf,
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                        + "user " + System.getProperty("user.name") + "\n"
                        + "persistence_location " + dir.resolve("mosquitto-db") + "/\nautosave_interval 1\n"
                        + "max_queued_messages 100000\n");
        Process p = new ProcessBuilder(mosquitto, "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("mosquitto.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return p;
    }

    @Test
    void brokerRestartedMidStream_everyAcknowledgedMessageArrives() throws Exception {
        int port = FreePorts.tcp();
        Process broker = mosquitto(port);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger resends = new AtomicInteger();
        try (RunningBridge bridge = RunningBridge.start(
                dir.resolve("bridge"),
                Map.of(
                        "bridge.mqtt.enabled",
                        "true",
                        "bridge.mqtt.broker-url",
                        "tcp://127.0.0.1:" + port,
                        "bridge.mqtt.client-id",
                        "bridge-restart-it",
                        "bridge.mqtt.reconnect-max-delay-ms",
                        "500"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> mqttReady(bridge));
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(port, acknowledged, resends));
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= MESSAGES / 3);
            broker.destroy(); // SIGTERM: mosquitto saves its sessions and queued messages
            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            broker = mosquitto(port);
            publishing.get(120, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Set<String> missing = new TreeSet<>(acknowledged);
                missing.removeAll(ids(bridge));
                assertThat(missing)
                        .as(() -> missing.size() + " missing, e.g. "
                                + missing.stream().limit(20).toList() + "; mosquitto: "
                                + tail(dir.resolve("mosquitto.log")))
                        .isEmpty();
            });
            StreamDispatcher d = bridge.context()
                    .getComponent("kinesis-put", KinesisPutComponent.class)
                    .dispatchers()
                    .get("telemetry");
            await().atMost(Duration.ofSeconds(30)).until(() -> d.pending() == 0 && d.unaccounted() == 0);
            DispatchStats s = d.stats();
            assertThat(s.recordsIn())
                    .isEqualTo(s.recordsAcknowledged()
                            + s.recordsDeadLettered()
                            + s.pendingRecords()
                            + s.spooledRecords()
                            + s.recordsReturned());
            List<StreamRecord> records = bridge.streamRecords("telemetry");
            FaultLedger ledger = FaultLedger.of(
                            "MQTT broker (mosquitto, persistent) restarted mid-stream, QoS 1",
                            acknowledged,
                            records,
                            dir.resolve("bridge").resolve("dead-letter"),
                            resends.get() + " publishes resent by the publisher after the restart; bridge: in "
                                    + s.recordsIn()
                                    + " = acknowledged " + s.recordsAcknowledged() + " + dead-lettered "
                                    + s.recordsDeadLettered()
                                    + " + in flight " + s.pendingRecords() + " + spooled " + s.spooledRecords())
                    .report();
            assertThat(Files.readString(dir.resolve("mosquitto.log")))
                    .as("the broker kept its sessions over the restart")
                    .doesNotContain("Error saving");
            ledger.assertNothingLost();
            assertThat(ledger.deadLettered()).isZero();
        } finally {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Publishes MESSAGES messages at QoS 1, one at a time; a message counts once the broker acknowledged it. */
    private static void publish(int port, Set<String> acknowledged, AtomicInteger resends) {
        MqttClient client = null;
        int i = 0;
        while (i < MESSAGES) {
            try {
                if (client == null || !client.isConnected()) {
                    client = new MqttClient("tcp://127.0.0.1:" + port, "restart-it-publisher", new MemoryPersistence());
                    MqttConnectionOptions o = new MqttConnectionOptions();
                    o.setCleanStart(true);
                    o.setConnectionTimeout(2);
                    client.connect(o);
                }
                String id = "m" + i;
                client.publish(
                        "telemetry/dev-" + (i % 8) + "/t",
                        ("{\"id\":\"" + id + "\",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                        1,
                        false);
                acknowledged.add(id);
                i++;
                if (i % 10 == 0) {
                    LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // about 1,000 messages a second at most
                }
            } catch (Exception e) {
                resends.incrementAndGet();
                closeQuietly(client);
                client = null;
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        closeQuietly(client);
    }

    private static void closeQuietly(MqttClient client) {
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            } catch (Exception e) {
                // already gone
            }
        }
    }

    private static String tail(Path file) {
        try {
            String all = Files.readString(file);
            return all.length() > 3000 ? all.substring(all.length() - 3000) : all;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Set<String> ids(RunningBridge bridge) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (String data : bridge.records("telemetry")) {
            int at = data.indexOf("\"id\":\"");
            if (at >= 0) {
                ids.add(data.substring(at + 6, data.indexOf('"', at + 6)));
            }
        }
        return ids;
    }

    private static boolean mqttReady(RunningBridge bridge) {
        return HealthCheckHelper.invokeReadiness(bridge.context()).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:mqtt-telemetry"))
                .anyMatch(r -> r.getState() == HealthCheck.State.UP);
    }
}
