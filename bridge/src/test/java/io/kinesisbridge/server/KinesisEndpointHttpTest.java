package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoint at the HTTP level, where no SDK goes: what Kinesis answers requests that are not its protocol. */
class KinesisEndpointHttpTest {

    private static final String JSON = "application/x-amz-json-1.1";
    private static final String CBOR = "application/x-amz-cbor-1.1";
    private static RunningEndpoint server;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        server = RunningEndpoint.start();
        server.store.createStream("http", 2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> post(String contentType, String target, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String contentType, String target, String body)
            throws IOException, InterruptedException {
        return post(contentType, target, body.getBytes());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void putRecord_inJson_answersLikeKinesis_withARequestId() throws Exception {
        HttpResponse<byte[]> r = post(
                JSON,
                "Kinesis_20131202.PutRecord",
                "{\"StreamName\":\"http\",\"PartitionKey\":\"user-42\",\"Data\":\"aGVsbG8=\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(JSON);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(json(r).get("ShardId").asText()).isEqualTo("shardId-000000000000");
    }

    @Test
    void putRecord_inCbor_answersInCbor() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        byte[] body = cbor.writeValueAsBytes(
                Map.of("StreamName", "http", "PartitionKey", "k", "Data", new byte[] {0, 1, 2, (byte) 255}));
        HttpResponse<byte[]> r = post(CBOR, "Kinesis_20131202.PutRecord", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(CBOR);
        assertThat(cbor.readTree(r.body()).get("SequenceNumber").asText()).hasSize(56);
    }

    @Test
    void unknownOperation_orService_isUnknownOperationException() throws Exception {
        for (String target :
                new String[] {"Kinesis_20131202.SplitShard", "DynamoDB_20120810.PutItem", "Kinesis_20131202"}) {
            HttpResponse<byte[]> r = post(JSON, target, "{}");
            assertThat(r.statusCode()).as(target).isEqualTo(400);
            assertThat(new String(r.body())).as(target).isEqualTo("{\"__type\":\"UnknownOperationException\"}");
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");
        }
    }

    @Test
    void typeErrors_areSerializationExceptions_withCapitalMessage() throws Exception {
        HttpResponse<byte[]> r =
                post(JSON, "Kinesis_20131202.CreateStream", "{\"StreamName\":\"x\",\"ShardCount\":\"2\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body()))
                .isEqualTo(
                        "{\"__type\":\"SerializationException\",\"Message\":\"class java.lang.String can not be converted to an Integer\"}");
        HttpResponse<byte[]> data = post(
                JSON,
                "Kinesis_20131202.PutRecord",
                "{\"StreamName\":\"http\",\"PartitionKey\":\"k\",\"Data\":\"abc\"}");
        assertThat(json(data).get("Message").asText())
                .isEqualTo(
                        "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3");
        HttpResponse<byte[]> ts = post(
                JSON,
                "Kinesis_20131202.GetShardIterator",
                "{\"StreamName\":\"http\",\"ShardId\":\"0\",\"ShardIteratorType\":\"AT_TIMESTAMP\",\"Timestamp\":\"yesterday\"}");
        assertThat(json(ts).get("Message").asText())
                .isEqualTo("class java.lang.String can not be converted to milliseconds since epoch");
    }

    @Test
    void bodiesThatAreNotObjects_orEmpty_areBareSerializationExceptions() throws Exception {
        assertThat(new String(post(JSON, "Kinesis_20131202.PutRecord", "{\"StreamName\":")
                        .body()))
                .isEqualTo("{\"__type\":\"SerializationException\"}");
        assertThat(new String(post(JSON, "Kinesis_20131202.PutRecord", "[1,2]").body()))
                .isEqualTo("{\"__type\":\"SerializationException\"}");
        HttpResponse<byte[]> empty = post(JSON, "Kinesis_20131202.ListStreams", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(new String(empty.body())).isEqualTo("{\"__type\":\"SerializationException\"}");
    }

    @Test
    void otherContentTypes_andMethods_getKinesissBareAnswers() throws Exception {
        HttpResponse<byte[]> text = post("text/plain", "Kinesis_20131202.ListStreams", "{}");
        assertThat(text.statusCode()).isEqualTo(404);
        assertThat(new String(text.body())).isEqualTo("<UnknownOperationException/>\n");
        HttpResponse<byte[]> noTarget = post("text/plain", null, "{}");
        assertThat(noTarget.statusCode()).isEqualTo(403);
        assertThat(new String(noTarget.body())).contains("<AccessDeniedException>");
        HttpResponse<byte[]> plainJson = post("application/json", "Kinesis_20131202.ListStreams", "{}");
        assertThat(plainJson.statusCode()).isEqualTo(404);
        assertThat(new String(plainJson.body()))
                .isEqualTo(
                        "{\"Output\":{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"},\"Version\":\"1.0\"}");
        HttpResponse<byte[]> get = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(403);
    }

    @Test
    void aBodyOverTheLimit_is413() throws Exception {
        byte[] huge = new byte[EndpointSettings.DEFAULT_MAX_REQUEST_BYTES + 1];
        HttpResponse<byte[]> r = post(JSON, "Kinesis_20131202.PutRecords", huge);
        assertThat(r.statusCode()).isEqualTo(413);
        // the endpoint still serves the next connection
        assertThat(post(JSON, "Kinesis_20131202.ListStreams", "{}").statusCode())
                .isEqualTo(200);
    }
}
