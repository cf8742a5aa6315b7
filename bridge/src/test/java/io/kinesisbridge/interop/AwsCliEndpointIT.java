package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * The AWS CLI (/usr/bin/aws, the Debian awscli package) against the bridge as shipped: {@code java -jar
 * target/kinesis-bridge.jar} with its endpoint on a free loopback port, dummy credentials. Every operation, the
 * errors as the CLI shows them, and a round trip whose bytes come back unchanged.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsCliEndpointIT {

    private static final Path AWS = Path.of("/usr/bin/aws");
    private BridgeProcess bridge;
    private String url;

    record Result(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return KinesisHttp.JSON.readTree(out);
        }
    }

    @BeforeAll
    void startBridge(@TempDir Path dir) throws Exception {
        Programs.require(Files.isExecutable(AWS), "the AWS CLI at /usr/bin/aws (Debian awscli)");
        Path jar = Path.of(System.getProperty("bridge.jar", "target/kinesis-bridge.jar"));
        Programs.require(Files.isRegularFile(jar), "the bridge jar " + jar + " (mvn package)");
        bridge = BridgeProcess.start(dir, "bridge", Map.of("bridge.streams", "shipped:2"));
        bridge.awaitReady(Duration.ofSeconds(60));
        url = "http://127.0.0.1:" + bridge.setting("bridge.endpoint.port");
    }

    @AfterAll
    void stopBridge() throws InterruptedException {
        if (bridge != null) {
            bridge.close();
        }
    }

    private Result aws(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", url, "--output", "json", "kinesis"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
        env.put("AWS_SECRET_ACCESS_KEY", "local-secret");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }

    private Result ok(String... args) throws IOException, InterruptedException {
        Result r = aws(args);
        assertThat(r.exit())
                .as("aws kinesis %s: %s", String.join(" ", args), r.err())
                .isZero();
        return r;
    }

    @Test
    void everyOperation_andARoundTrip() throws Exception {
        assertThat(ok("list-streams").json().get("StreamNames"))
                .extracting(JsonNode::asText)
                .contains("shipped");

        ok("create-stream", "--stream-name", "cli", "--shard-count", "2");
        JsonNode description =
                ok("describe-stream", "--stream-name", "cli").json().get("StreamDescription");
        assertThat(description.get("StreamStatus").asText()).isEqualTo("ACTIVE");
        assertThat(description.get("Shards")).hasSize(2);
        JsonNode summary =
                ok("describe-stream-summary", "--stream-name", "cli").json().get("StreamDescriptionSummary");
        assertThat(summary.get("OpenShardCount").asInt()).isEqualTo(2);
        assertThat(ok("list-shards", "--stream-name", "cli").json().get("Shards"))
                .hasSize(2);

        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        String b64 = Base64.getEncoder().encodeToString(binary);
        JsonNode put = ok("put-record", "--stream-name", "cli", "--partition-key", "user-42", "--data", b64)
                .json();
        assertThat(put.get("ShardId").asText()).isEqualTo("shardId-000000000000");
        String firstSequence = put.get("SequenceNumber").asText();
        JsonNode batch = ok(
                        "put-records",
                        "--stream-name",
                        "cli",
                        "--records",
                        "[{\"PartitionKey\":\"user-42\",\"Data\":\"c2Vjb25k\"},{\"PartitionKey\":\"user-42\",\"Data\":\"dGhpcmQ=\"}]")
                .json();
        assertThat(batch.get("FailedRecordCount").asInt()).isZero();

        String iterator = ok(
                        "get-shard-iterator",
                        "--stream-name",
                        "cli",
                        "--shard-id",
                        "shardId-000000000000",
                        "--shard-iterator-type",
                        "TRIM_HORIZON")
                .json()
                .get("ShardIterator")
                .asText();
        JsonNode records = ok("get-records", "--shard-iterator", iterator).json();
        List<String> data = new ArrayList<>();
        records.get("Records").forEach(r -> data.add(r.get("Data").asText()));
        assertThat(data).containsExactly(b64, "c2Vjb25k", "dGhpcmQ=");
        assertThat(Base64.getDecoder().decode(data.get(0))).isEqualTo(binary);
        assertThat(records.get("NextShardIterator").asText()).isNotEmpty();

        String after = ok(
                        "get-shard-iterator",
                        "--stream-name",
                        "cli",
                        "--shard-id",
                        "shardId-000000000000",
                        "--shard-iterator-type",
                        "AFTER_SEQUENCE_NUMBER",
                        "--starting-sequence-number",
                        firstSequence)
                .json()
                .get("ShardIterator")
                .asText();
        assertThat(ok("get-records", "--shard-iterator", after, "--limit", "1")
                        .json()
                        .get("Records")
                        .get(0)
                        .get("Data")
                        .asText())
                .isEqualTo("c2Vjb25k");

        ok("delete-stream", "--stream-name", "cli");
        assertThat(ok("list-streams").json().get("StreamNames"))
                .extracting(JsonNode::asText)
                .doesNotContain("cli");
    }

    @Test
    void errors_areShownByTheCliAsAwsErrors() throws Exception {
        Result missing = aws("put-record", "--stream-name", "no-such-stream", "--partition-key", "k", "--data", "AA==");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err())
                .contains("An error occurred (ResourceNotFoundException) when calling the PutRecord operation: "
                        + "Stream no-such-stream under account 123456789012 not found.");

        Result range = aws(
                "put-record",
                "--stream-name",
                "shipped",
                "--partition-key",
                "k",
                "--data",
                "AA==",
                "--explicit-hash-key",
                "340282366920938463463374607431768211456");
        assertThat(range.err())
                .contains(
                        "An error occurred (InvalidArgumentException) when calling the PutRecord operation: "
                                + "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456");

        Result pattern = aws(
                "put-record",
                "--stream-name",
                "shipped",
                "--partition-key",
                "k",
                "--data",
                "AA==",
                "--explicit-hash-key",
                "01");
        assertThat(pattern.err())
                .contains(
                        "An error occurred (ValidationException) when calling the PutRecord operation: 1 validation error "
                                + "detected: Value '01' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");

        Result exists = aws("create-stream", "--stream-name", "shipped", "--shard-count", "1");
        assertThat(exists.err())
                .contains("(ResourceInUseException)", "Stream shipped under account 123456789012 already exists.");

        Result iterator = aws("get-records", "--shard-iterator", "AAAAAAAAAAE=");
        assertThat(iterator.err())
                .contains(
                        "An error occurred (InvalidArgumentException) when calling the GetRecords operation: Invalid ShardIterator.");
    }
}
