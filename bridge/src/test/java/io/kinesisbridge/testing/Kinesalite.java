package io.kinesisbridge.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * kinesalite 3.3.3 (npm) in a node process bound to 127.0.0.1 on a free port, streams created and deleted at once,
 * with a JSON client to create and read streams. Found in {@code -Dkinesalite.dir}, else {@code .tools/kinesalite}
 * (where .ci/run and .ci/bench install it); missing, {@link #start()} fails the test under CI=true and skips it
 * elsewhere.
 */
public final class Kinesalite implements AutoCloseable {

    /** A record as GetRecords returns it. */
    public record StoredRecord(String partitionKey, byte[] data, String sequenceNumber) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Path dir() {
        String configured = System.getProperty("kinesalite.dir");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(".tools/kinesalite").toAbsolutePath();
    }

    /** Whether kinesalite is installed in {@link #dir()} and node is on the PATH. */
    public static boolean installed() {
        return Files.isDirectory(dir().resolve("node_modules/kinesalite"))
                && Programs.find("node").isPresent();
    }

    public static Kinesalite start() throws IOException {
        return start("createStreamMs:0,deleteStreamMs:0,updateStreamMs:0,shardLimit:10000");
    }

    /** kinesalite with these options (the inside of its options object, e.g. {@code createStreamMs:500}). */
    public static Kinesalite start(String options) throws IOException {
        Programs.require(
                installed(),
                "kinesalite (npm install --prefix .tools/kinesalite kinesalite@3.3.3, or -Dkinesalite.dir) and node");
        int port = FreePorts.tcp();
        Path log = Files.createTempFile("kinesalite-", ".log");
        Process process = new ProcessBuilder(
                        "node", "-e", "require('kinesalite')({" + options + "}).listen(" + port + ",'127.0.0.1')")
                .directory(dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Kinesalite k = new Kinesalite(process, port);
        try {
            await("kinesalite listening on " + port)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("kinesalite exited: " + Files.readString(log));
                        }
                        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri() {
        return URI.create(url());
    }

    public long pid() {
        return process.pid();
    }

    /** Creates the stream and waits until it is ACTIVE. */
    public void createStream(String name, int shards) {
        call("CreateStream", JSON.createObjectNode().put("StreamName", name).put("ShardCount", shards));
        await("stream " + name + " active")
                .atMost(Duration.ofSeconds(20))
                .until(() -> call(
                                "DescribeStreamSummary", JSON.createObjectNode().put("StreamName", name))
                        .path("StreamDescriptionSummary")
                        .path("StreamStatus")
                        .asText()
                        .equals("ACTIVE"));
    }

    /** Every record of the stream, shard by shard, each shard in sequence order. */
    public List<StoredRecord> readAll(String name) {
        List<StoredRecord> all = new ArrayList<>();
        for (JsonNode shard : call("ListShards", JSON.createObjectNode().put("StreamName", name))
                .path("Shards")) {
            String iterator = call(
                            "GetShardIterator",
                            JSON.createObjectNode()
                                    .put("StreamName", name)
                                    .put("ShardId", shard.path("ShardId").asText())
                                    .put("ShardIteratorType", "TRIM_HORIZON"))
                    .path("ShardIterator")
                    .asText(null);
            while (iterator != null) {
                JsonNode page = call(
                        "GetRecords",
                        JSON.createObjectNode().put("ShardIterator", iterator).put("Limit", 10_000));
                for (JsonNode r : page.path("Records")) {
                    all.add(new StoredRecord(
                            r.path("PartitionKey").asText(),
                            Base64.getDecoder().decode(r.path("Data").asText()),
                            r.path("SequenceNumber").asText()));
                }
                if (page.path("Records").isEmpty()) {
                    break;
                }
                iterator = page.path("NextShardIterator").asText(null);
            }
        }
        return all;
    }

    /** One Kinesis JSON 1.1 call; kinesalite checks only the Authorization header's shape, not a signature. */
    private JsonNode call(String operation, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + operation)
                .header("X-Amz-Date", "20260101T000000Z")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=AKIDKINESALITE/20260101/us-east-1/kinesis/aws4_request, "
                                + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        operation + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
