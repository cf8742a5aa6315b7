package io.kinesisbridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a stream whole through a bridge's Kinesis endpoint (JSON 1.1, as the AWS CLI speaks it): every shard from
 * TRIM_HORIZON until GetRecords returns nothing more.
 */
public final class EndpointReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI endpoint;

    public EndpointReader(int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/");
    }

    /** One record as read: its shard, partition key and data as text. */
    public record Read(String shardId, String partitionKey, String data) {}

    /** Every record of the stream, shard by shard, in each shard's order. */
    public List<Read> readAll(String stream) {
        List<Read> records = new ArrayList<>();
        ObjectNode list = JSON.createObjectNode().put("StreamName", stream);
        for (JsonNode shard : call("ListShards", list).path("Shards")) {
            String shardId = shard.path("ShardId").asText();
            ObjectNode it = JSON.createObjectNode()
                    .put("StreamName", stream)
                    .put("ShardId", shardId)
                    .put("ShardIteratorType", "TRIM_HORIZON");
            String iterator = call("GetShardIterator", it).path("ShardIterator").asText(null);
            while (iterator != null) {
                JsonNode page = call(
                        "GetRecords",
                        JSON.createObjectNode().put("ShardIterator", iterator).put("Limit", 10000));
                for (JsonNode r : page.path("Records")) {
                    records.add(new Read(
                            shardId,
                            r.path("PartitionKey").asText(),
                            new String(Base64.getDecoder().decode(r.path("Data").asText()), StandardCharsets.UTF_8)));
                }
                if (page.path("Records").isEmpty()) {
                    break;
                }
                iterator = page.path("NextShardIterator").asText(null);
            }
        }
        return records;
    }

    private JsonNode call(String operation, JsonNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "Kinesis_20131202." + operation)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(operation + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
