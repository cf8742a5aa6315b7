package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped MQTT route against a real mosquitto, fed by mosquitto_pub, over MQTT 5 and 3.1.1. */
@Tag("slow")
class MosquittoIT {

    @TempDir
    Path dir;

    private Process startMosquitto(int port) throws IOException {
        String mosquitto = Programs.require("mosquitto");
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process p = new ProcessBuilder(mosquitto, "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
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

    private void publishLines(int port, String version, String topic, List<String> lines) throws Exception {
        String pub = Programs.require("mosquitto_pub");
        Process p = new ProcessBuilder(
                        pub, "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", version, "-q", "1", "-t", topic, "-l")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
    }

    @ParameterizedTest(name = "bridge MQTT {0}, mosquitto_pub {1}")
    @CsvSource({"5, mqttv5", "3.1.1, mqttv311"})
    void mosquittoPubLines_arriveOnceEach_keyedByDevice(String bridgeVersion, String pubVersion) throws Exception {
        int port = FreePorts.tcp();
        Process mosquitto = startMosquitto(port);
        try (RunningBridge bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.mqtt.enabled",
                        "true",
                        "bridge.mqtt.broker-url",
                        "tcp://127.0.0.1:" + port,
                        "bridge.mqtt.version",
                        bridgeVersion))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                publishLines(port, pubVersion, "telemetry/probe/x", List.of("probe"));
                return bridge.records("telemetry").contains("probe");
            });
            List<String> sent =
                    IntStream.range(0, 500).mapToObj(i -> "{\"v\":" + i + "}").toList();
            publishLines(port, pubVersion, "telemetry/sensor-9/temp", sent);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bridge.records("telemetry").size() >= sent.size() + 1);
            List<String> got = bridge.records("telemetry").stream()
                    .filter(d -> d.startsWith("{"))
                    .toList();
            assertThat(got).containsExactlyElementsOf(sent); // one key, one shard: in order
            assertThat(bridge.streamRecords("telemetry").stream()
                            .filter(r -> r.data()[0] == '{')
                            .map(r -> r.partitionKey())
                            .distinct()
                            .toList())
                    .containsExactly("sensor-9");
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void mosquittoRestarted_bridgeReconnects() throws Exception {
        int port = FreePorts.tcp();
        Process mosquitto = startMosquitto(port);
        try (RunningBridge bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.mqtt.enabled",
                        "true",
                        "bridge.mqtt.broker-url",
                        "tcp://127.0.0.1:" + port,
                        "bridge.mqtt.reconnect-max-delay-ms",
                        "500"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                publishLines(port, "mqttv5", "telemetry/a/x", List.of("before"));
                return bridge.records("telemetry").contains("before");
            });
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
            mosquitto = startMosquitto(port);
            List<String> after = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                publishLines(port, "mqttv5", "telemetry/a/x", List.of("after"));
                return bridge.records("telemetry").contains("after");
            });
            after.addAll(IntStream.range(0, 100).mapToObj(i -> "after-" + i).collect(Collectors.toList()));
            publishLines(port, "mqttv5", "telemetry/a/x", after);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bridge.records("telemetry").containsAll(after));
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
