package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK for JavaScript v3 ({@code @aws-sdk/client-kinesis} from npm, in {@code -Dawssdkjs.dir}, default
 * {@code .tools/aws-sdk-js}, where .ci/run installs it) against the bridge as shipped, with streams CREATING for a
 * while and signatures required: CreateStream and the SDK's waiter, PutRecords, a chained PutRecord and a GetRecords
 * loop per shard from just after its StartingSequenceNumber, run by a small Node script.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsSdkJsEndpointIT {

    private static final int RECORDS = 60;
    private BridgeProcess bridge;
    private String url;

    static Path sdkDir() {
        return Path.of(System.getProperty("awssdkjs.dir", ".tools/aws-sdk-js"));
    }

    private static boolean installed() {
        if (!Files.isDirectory(sdkDir().resolve("node_modules/@aws-sdk/client-kinesis"))) {
            return false;
        }
        try {
            return new ProcessBuilder("node", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @BeforeAll
    void startBridge(@TempDir Path dir) throws Exception {
        Programs.require(installed(), "node and @aws-sdk/client-kinesis (npm, in " + sdkDir() + ")");
        Path jar = Path.of(System.getProperty("bridge.jar", "target/kinesis-bridge.jar"));
        Programs.require(Files.isRegularFile(jar), "the bridge jar " + jar + " (mvn package)");
        bridge = BridgeProcess.start(
                dir,
                "bridge",
                Map.of(
                        "bridge.streams",
                        "shipped:1",
                        "bridge.memory.create-delay-ms",
                        "1500",
                        "bridge.endpoint.require-signature",
                        "true"),
                List.of("-Xmx256m"));
        bridge.awaitReady(Duration.ofSeconds(60));
        url = "http://127.0.0.1:" + bridge.setting("bridge.endpoint.port");
    }

    @AfterAll
    void stopBridge() throws InterruptedException {
        if (bridge != null) {
            bridge.close();
        }
    }

    private JsonNode runScript(String stream) throws Exception {
        Path script = Path.of(AwsSdkJsEndpointIT.class
                .getResource("/interop/aws-sdk-js-roundtrip.cjs")
                .toURI());
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), url, stream, String.valueOf(RECORDS));
        pb.environment().put("AWS_SDK_JS_DIR", sdkDir().toAbsolutePath().toString());
        pb.environment().remove("AWS_PROFILE");
        Path out = Files.createTempFile("sdk-js-", ".out");
        Path err = Files.createTempFile("sdk-js-", ".err");
        Process node =
                pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS))
                .as("the Node script ends")
                .isTrue();
        assertThat(node.exitValue())
                .as("Node: %s; bridge log: %s", Files.readString(err), bridge.tail())
                .isZero();
        return KinesisHttp.JSON.readTree(Files.readString(out));
    }

    @Test
    void theJavaScriptSdk_createsWaitsPutsAndReadsEveryRecordBack_throughTheSignedEndpoint() throws Exception {
        JsonNode seen = runScript("js-sdk");
        assertThat(seen.get("statusAfterCreate").asText())
                .as("CreateStream answers while the stream is CREATING")
                .isEqualTo("CREATING");
        assertThat(seen.get("waiterState").asText()).isEqualTo("SUCCESS");
        assertThat(seen.get("failedRecordCount").asInt()).isZero();
        BigInteger firstChained = new BigInteger(seen.get("chained").get(0).asText());
        assertThat(new BigInteger(seen.get("chained").get(1).asText())).isGreaterThan(firstChained);

        List<String> events = new ArrayList<>();
        Map<String, BigInteger> lastPerShard = new HashMap<>();
        for (JsonNode r : seen.get("records")) {
            BigInteger n = new BigInteger(r.get("sequenceNumber").asText());
            BigInteger before = lastPerShard.put(r.get("shardId").asText(), n);
            assertThat(before == null || n.compareTo(before) > 0)
                    .as("sequence numbers rise within a shard")
                    .isTrue();
            if (r.get("data").asText().startsWith("event ")) {
                int i = Integer.parseInt(r.get("data").asText().substring(6));
                assertThat(r.get("partitionKey").asText()).isEqualTo("user-" + (i % 7));
                events.add(r.get("data").asText());
            }
        }
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            sent.add("event " + i);
        }
        assertThat(events)
                .as("every record, read from just after each shard's StartingSequenceNumber")
                .containsExactlyInAnyOrderElementsOf(sent);
        assertThat(seen.get("records")).extracting(r -> r.get("data").asText()).contains("chain 0", "chain 1");
    }

    @Test
    void requireSignature_isOn_anUnsignedRequestGetsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/"))
                                .header("Content-Type", "application/x-amz-json-1.1")
                                .header("X-Amz-Target", "Kinesis_20131202.ListStreams")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .isEqualTo(
                        "{\"__type\":\"MissingAuthenticationTokenException\",\"message\":\"Missing Authentication Token\"}");
        // the shipped stream was created ACTIVE at start, whatever bridge.memory.create-delay-ms says
        assertThat(KinesisHttp.call(url, "DescribeStream", "{\"StreamName\":\"shipped\"}")
                        .body()
                        .path("StreamDescription")
                        .path("StreamStatus")
                        .asText())
                .isEqualTo("ACTIVE");
    }
}
