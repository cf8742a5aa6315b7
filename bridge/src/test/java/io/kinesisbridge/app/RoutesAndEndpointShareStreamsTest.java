package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.SdkClients;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The shipped application (config, YAML routes, BridgeConfiguration) with the endpoint on: what the HTTP route
 * ingests is read back through the Kinesis endpoint, what the endpoint takes is in the backend the routes use,
 * and the endpoint starts and stops with the Camel context.
 */
class RoutesAndEndpointShareStreamsTest {

    private Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void eventsPostedToTheHttpRoute_areReadBackThroughTheEndpoint_andEndpointPutsLandInTheRoutesBackend(
            @TempDir Path dir) throws Exception {
        int httpPort = freePort();
        int endpointPort =
                freePort(); // a fixed port: a second endpoint built by a second configure() could not bind it
        main = BridgeMain.create(
                new String[] {
                    "--routes",
                    "routes",
                    "--bridge.http.port=" + httpPort,
                    "--bridge.endpoint.port=" + endpointPort,
                    "--bridge.file.inbox=" + dir.resolve("inbox"),
                    "--bridge.dead-letter.dir=" + dir.resolve("dead-letter"),
                    "--bridge.management.port=0",
                    "--bridge.syslog.enabled=false",
                    "--bridge.progress-interval-seconds=0"
                },
                Map.of());
        main.start();
        KinesisEndpoint endpoint =
                main.getCamelContext().getRegistry().lookupByNameAndType("kinesisEndpoint", KinesisEndpoint.class);
        assertThat(endpoint.port()).as("started with the context").isEqualTo(endpointPort);
        InMemoryKinesis backend = (InMemoryKinesis)
                main.getCamelContext().getRegistry().lookupByNameAndType("kinesisBackend", KinesisBackend.class);

        HttpResponse<String> posted = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/clickstream"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "[{\"userId\":\"u1\",\"page\":\"/\"},{\"userId\":\"u2\",\"page\":\"/cart\"}]"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).contains("\"FailedRecordCount\":0");

        try (KinesisAsyncClient kinesis = SdkClients.kinesis(endpoint.url())) {
            List<String> read = new ArrayList<>();
            for (Shard shard :
                    kinesis.listShards(b -> b.streamName("clickstream")).join().shards()) {
                String it = kinesis.getShardIterator(b -> b.streamName("clickstream")
                                .shardId(shard.shardId())
                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                        .join()
                        .shardIterator();
                GetRecordsResponse r =
                        kinesis.getRecords(b -> b.shardIterator(it)).join();
                for (Record record : r.records()) {
                    read.add(record.partitionKey() + " " + record.data().asUtf8String());
                }
            }
            assertThat(read)
                    .containsExactlyInAnyOrder(
                            "u1 {\"userId\":\"u1\",\"page\":\"/\"}", "u2 {\"userId\":\"u2\",\"page\":\"/cart\"}");

            kinesis.putRecord(b -> b.streamName("logs").partitionKey("from-sdk").data(SdkBytes.fromUtf8String("hello")))
                    .join();
            assertThat(backend.readAll("logs"))
                    .extracting(StreamRecord::partitionKey, r -> new String(r.data(), StandardCharsets.UTF_8))
                    .contains(Tuple.tuple("from-sdk", "hello"));
        }

        int port = endpoint.port();
        main.stop();
        main = null;
        assertThat(endpoint.port()).as("stopped with the context").isEqualTo(-1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
