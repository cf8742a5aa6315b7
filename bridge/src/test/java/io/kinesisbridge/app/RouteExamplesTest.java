package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HiveMqBroker;
import io.kinesisbridge.testing.MqttPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route examples of docs/routes.md (examples/routes/*.yaml), loaded beside the shipped routes, doing what they say. */
@Tag("slow")
class RouteExamplesTest {

    @TempDir
    static Path dir;

    private static HiveMqBroker broker;
    private static RunningBridge bridge;
    private static int httpPort;
    private static int mqttPort;

    @BeforeAll
    static void start() throws Exception {
        mqttPort = FreePorts.tcp();
        broker = HiveMqBroker.start(dir.resolve("broker"), mqttPort);
        httpPort = FreePorts.tcp();
        bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.streams",
                        "clickstream:4,logs:2,telemetry:4,orders:2,payments:1,sensors-temperature:2,sensors-humidity:2",
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(httpPort),
                        "bridge.mqtt.enabled",
                        "true",
                        "bridge.mqtt.broker-url",
                        "tcp://127.0.0.1:" + mqttPort,
                        "orders.inbox",
                        dir.resolve("orders").toString(),
                        "payments.inbox",
                        dir.resolve("payments").toString()),
                "file:" + Path.of("routes").toAbsolutePath() + "/*.yaml,file:"
                        + Path.of("examples/routes").toAbsolutePath() + "/*.yaml");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static void drop(Path inbox, String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path staged = dir.resolve(name);
        Files.writeString(staged, content);
        Files.move(staged, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<StreamRecord> awaitRecords(String stream, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> bridge.streamRecords(stream), r -> r.size() >= count);
    }

    private static String data(StreamRecord r) {
        return new String(r.data(), StandardCharsets.UTF_8);
    }

    @Test
    void ordersNdjsonInbox_putsEachLineToOrders_keyedByOrderId_andDeadLettersALineWithoutOne() throws Exception {
        drop(
                dir.resolve("orders"),
                "orders-1.ndjson",
                "{\"orderId\":\"o-1\",\"step\":\"created\"}\r\n{\"orderId\":\"o-2\",\"step\":\"created\"}\n{\"step\":\"orphan\"}\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("orders/.done/orders-1.ndjson")));
        assertThat(bridge.streamRecords("orders"))
                .filteredOn(r -> data(r).contains("created"))
                .extracting(StreamRecord::partitionKey)
                .containsExactlyInAnyOrder("o-1", "o-2");
        assertThat(Files.readString(dir.resolve("dead-letter/orders.ndjson"))).contains("MissingPartitionKey");
    }

    @Test
    void paymentsCsvInbox_putsEachRowToPayments_keyedByItsFirstColumn() throws Exception {
        drop(dir.resolve("payments"), "payments-1.csv", "p-1,10.00,EUR\np-2,99.50,USD\n");
        List<StreamRecord> records = awaitRecords("payments", 2);
        assertThat(records).extracting(StreamRecord::partitionKey).containsExactlyInAnyOrder("p-1", "p-2");
        assertThat(records).extracting(RouteExamplesTest::data).contains("p-1,10.00,EUR");
    }

    @Test
    void httpOrders_takesEventsOnASecondPath_toOrders() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/orders"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("[{\"orderId\":\"o-9\",\"step\":\"paid\"}]"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"FailedRecordCount\":0");
        assertThat(bridge.streamRecords("orders"))
                .filteredOn(r -> data(r).contains("paid"))
                .extracting(StreamRecord::partitionKey)
                .containsExactly("o-9");
    }

    @Test
    void mqttStreamPerType_putsEachReadingToTheStreamOfItsType_keyedByDevice() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> bridge.context().getRoute("mqtt-stream-per-type") != null);
        try (MqttPublisher publisher = MqttPublisher.v5("tcp://127.0.0.1:" + mqttPort)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                publisher.publish("sensors/temperature/dev-1", "{\"c\":21.5}", 1);
                assertThat(bridge.streamRecords("sensors-temperature")).isNotEmpty();
            });
            publisher.publish("sensors/humidity/dev-2", "{\"rh\":40}", 1);
        }
        assertThat(awaitRecords("sensors-humidity", 1))
                .extracting(StreamRecord::partitionKey)
                .containsOnly("dev-2");
        assertThat(bridge.streamRecords("sensors-temperature"))
                .extracting(StreamRecord::partitionKey)
                .containsOnly("dev-1");
    }
}
