package io.kinesisbridge.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HiveMqBroker;
import io.kinesisbridge.testing.JournalConfiguration;
import io.kinesisbridge.testing.MqttPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT 5 QoS 1 through embedded HiveMQ while the bridge (a child JVM, slowed by per-shard limits so that many
 * messages are in flight) is killed with SIGKILL twice: every message arrives, because none was acknowledged
 * before Kinesis had it, and duplicates are bounded by what was in flight (Receive Maximum) at each kill.
 */
@Tag("slow")
class MqttKillTest {

    private static final int MESSAGES = 6_000;
    private static final int RECEIVE_MAXIMUM = 200;

    @TempDir
    Path dir;

    @Test
    void sigkillWithMessagesInFlight_losesNothing_duplicatesBoundedByTheWindow() throws Exception {
        Path journal = dir.resolve("journal.tsv");
        try (HiveMqBroker broker = HiveMqBroker.start(dir, FreePorts.tcp())) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "bridge.http.enabled",
                    "false",
                    "bridge.syslog.enabled",
                    "false",
                    "bridge.file.enabled",
                    "false",
                    "bridge.mqtt.enabled",
                    "true",
                    "bridge.mqtt.broker-url",
                    broker.url(),
                    "bridge.mqtt.client-id",
                    "kill-test",
                    "bridge.mqtt.receive-maximum",
                    String.valueOf(RECEIVE_MAXIMUM),
                    "bridge.dead-letter.dir",
                    dir.resolve("dead-letter").toString(),
                    "bridge.memory.shard-limits",
                    "true"));
            settings.put("bridge.memory.records-per-second", "100");
            settings.put("bridge.mqtt.reconnect-max-delay-ms", "1000");
            settings.put("bridge.file.inbox", dir.resolve("inbox").toString());

            BridgeProcess bridge = BridgeProcess.startJournaled(dir, "bridge", journal, settings);
            int kills = 0;
            try (MqttPublisher pub = MqttPublisher.v5(broker.url())) {
                // the session exists (and queues for the bridge) once the bridge has subscribed
                BridgeProcess first = bridge;
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    pub.publish("telemetry/probe/x", "probe", 1);
                    return !JournalConfiguration.records(journal, "telemetry").isEmpty() || !first.isAlive();
                });
                assertThat(bridge.isAlive()).as(bridge.output()).isTrue();
                CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < MESSAGES; i++) {
                            pub.publish("telemetry/dev-" + (i % 16) + "/temp", "m" + i, 1);
                            if (i % 50 == 49) {
                                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                for (int threshold : new int[] {1_000, 3_000}) {
                    BridgeProcess running = bridge;
                    await().atMost(Duration.ofSeconds(90))
                            .until(() -> numbered(journal).size() >= threshold || !running.isAlive());
                    assertThat(bridge.isAlive()).as(bridge.output()).isTrue();
                    bridge.kill();
                    kills++;
                    bridge.restart();
                }
                publisher.get(120, TimeUnit.SECONDS);
                BridgeProcess last = bridge;
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> new HashSet<>(numbered(journal)).size() >= MESSAGES || !last.isAlive());
                assertThat(bridge.isAlive()).as(bridge.output()).isTrue();
            } finally {
                bridge.close();
            }
            List<String> arrived = numbered(journal);
            Set<String> unique = new HashSet<>(arrived);
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < MESSAGES; i++) {
                sent.add("m" + i);
            }
            int duplicates = arrived.size() - unique.size();
            System.out.printf(
                    "mqtt 5 QoS 1, %d SIGKILLs: sent %d, arrived %d records, %d unique, %d duplicates%n",
                    kills, MESSAGES, arrived.size(), unique.size(), duplicates);
            assertThat(unique).isEqualTo(sent);
            assertThat(duplicates).isLessThanOrEqualTo(kills * RECEIVE_MAXIMUM);
        }
    }

    private static List<String> numbered(Path journal) {
        return JournalConfiguration.records(journal, "telemetry").stream()
                .filter(d -> d.startsWith("m"))
                .toList();
    }
}
