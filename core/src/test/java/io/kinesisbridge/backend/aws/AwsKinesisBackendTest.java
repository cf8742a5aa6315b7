package io.kinesisbridge.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.NonRetryableKinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.RetryableKinesisException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The aws backend's requests, answers and error mapping, against a loopback HTTP stub speaking the Kinesis protocol.
 * One stub and one JSON backend serve the class (closing a client waits out Netty's quiet period).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsKinesisBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final String JSON_TYPE = "application/x-amz-json-1.1";
    private static final String CBOR_TYPE = "application/x-amz-cbor-1.1";

    private StubHttpServer stub;
    private AwsKinesisBackend jsonBackend;
    private AwsKinesisBackend backend;

    @BeforeAll
    void startStub() throws Exception {
        stub = new StubHttpServer();
        jsonBackend = AwsKinesisBackend.create(settings(false));
    }

    @BeforeEach
    void forgetRequests() {
        stub.requests.clear();
    }

    @AfterEach
    void stopBackend() {
        if (backend != null && backend != jsonBackend) {
            backend.close();
        }
        backend = null;
    }

    @AfterAll
    void stopStub() {
        jsonBackend.close();
        stub.close();
    }

    private AwsBackendSettings settings(boolean cbor) {
        return AwsBackendSettings.defaults()
                .withRegion("us-east-1")
                .withEndpoint(stub.uri())
                .withCbor(cbor)
                .withCredentials(new CredentialsSource.Static(
                        "AKIDEXAMPLE1234",
                        new CredentialsSource.Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                        Optional.empty()));
    }

    private static PutRecordCommand command(String key, String data) {
        return PutRecordValidator.validate(
                PutRequest.of("s", key, data.getBytes(StandardCharsets.UTF_8)),
                PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES);
    }

    private static StubHttpServer.Response json(int status, String body) {
        return StubHttpServer.Response.of(status, JSON_TYPE, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(StubHttpServer.Request r) throws Exception {
        return r.contentType().startsWith(CBOR_TYPE) ? CBOR.readTree(r.body()) : JSON.readTree(r.body());
    }

    @Test
    void cborOff_speaksJsonForThisClient_withDataAsBase64() throws Exception {
        stub.answer(r -> json(
                200, "{\"ShardId\":\"shardId-000000000001\",\"SequenceNumber\":\"4960\",\"EncryptionType\":\"KMS\"}"));
        backend = jsonBackend;

        RecordResult.Accepted accepted =
                backend.putRecord(command("user-42", "hello")).get(10, TimeUnit.SECONDS);

        assertThat(accepted).isEqualTo(new RecordResult.Accepted("shardId-000000000001", "4960", "KMS"));
        StubHttpServer.Request sent = stub.requests.get(0);
        assertThat(sent.contentType()).isEqualTo(JSON_TYPE);
        assertThat(sent.target()).isEqualTo("Kinesis_20131202.PutRecord");
        JsonNode json = JSON.readTree(sent.body());
        assertThat(json.get("Data").asText()).isEqualTo("aGVsbG8=");
        assertThat(json.get("PartitionKey").asText()).isEqualTo("user-42");
        assertThat(json.get("StreamName").asText()).isEqualTo("s");
        assertThat(sent.header("Content-Length")).isEqualTo(String.valueOf(sent.body().length));
        assertThat(sent.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE1234/");
    }

    @Test
    void cborOn_isTheDefault_andSpeaksCbor() throws Exception {
        stub.answer(r -> StubHttpServer.Response.of(
                200,
                CBOR_TYPE,
                CBOR.writeValueAsBytes(Map.of("ShardId", "shardId-000000000000", "SequenceNumber", "77"))));
        assertThat(AwsBackendSettings.defaults().cbor()).isTrue();
        backend = AwsKinesisBackend.create(settings(true));

        RecordResult.Accepted accepted =
                backend.putRecord(command("k", "hello")).get(10, TimeUnit.SECONDS);

        assertThat(accepted.sequenceNumber()).isEqualTo("77");
        assertThat(accepted.encryptionType()).isEqualTo("NONE");
        StubHttpServer.Request sent = stub.requests.get(0);
        assertThat(sent.contentType()).isEqualTo(CBOR_TYPE);
        JsonNode cbor = CBOR.readTree(sent.body());
        assertThat(cbor.get("Data").binaryValue()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void twoClientsInOneJvm_eachKeepItsOwnWireForm() throws Exception {
        stub.answer(r -> r.contentType().startsWith(CBOR_TYPE)
                ? StubHttpServer.Response.of(
                        200, CBOR_TYPE, CBOR.writeValueAsBytes(Map.of("ShardId", "a", "SequenceNumber", "1")))
                : json(200, "{\"ShardId\":\"b\",\"SequenceNumber\":\"2\"}"));
        backend = jsonBackend;
        try (AwsKinesisBackend cborBackend = AwsKinesisBackend.create(settings(true))) {
            assertThat(cborBackend
                            .putRecord(command("k", "x"))
                            .get(10, TimeUnit.SECONDS)
                            .shardId())
                    .isEqualTo("a");
            assertThat(backend.putRecord(command("k", "x"))
                            .get(10, TimeUnit.SECONDS)
                            .shardId())
                    .isEqualTo("b");
        }
        assertThat(stub.requests)
                .extracting(StubHttpServer.Request::contentType)
                .containsExactly(CBOR_TYPE, JSON_TYPE);
        assertThat(System.getProperty("aws.cborEnabled")).isNull();
    }

    @Test
    void cborOn_evenWhenTheJvmSwitchedCborOff_forClientsBuiltAfterwards() throws Exception {
        stub.answer(r -> StubHttpServer.Response.of(
                200,
                CBOR_TYPE,
                CBOR.writeValueAsBytes(Map.of("ShardId", "shardId-000000000003", "SequenceNumber", "9"))));
        String before = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false"); // what camel-aws2-kinesis does with cborEnabled=false
        try {
            backend = AwsKinesisBackend.create(settings(true));
        } finally {
            if (before == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", before);
            }
        }

        assertThat(backend.putRecord(command("k", "hi"))
                        .get(10, TimeUnit.SECONDS)
                        .shardId())
                .isEqualTo("shardId-000000000003");
        StubHttpServer.Request sent = stub.requests.get(0);
        assertThat(sent.contentType()).isEqualTo(CBOR_TYPE);
        assertThat(CBOR.readTree(sent.body()).get("Data").binaryValue())
                .isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void putRecords_mapsEachAnswerEntryToItsRequestEntryByIndex() throws Exception {
        stub.answer(r -> json(200, """
                {"FailedRecordCount":2,"Records":[
                 {"ShardId":"shardId-000000000000","SequenceNumber":"1"},
                 {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate exceeded for shard shardId-000000000001"},
                 {"ShardId":"shardId-000000000002","SequenceNumber":"3"},
                 {"ErrorCode":"InternalFailure","ErrorMessage":"Internal service failure."}]}"""));
        backend = jsonBackend;

        PutRecordsResponse response = backend.putRecords(
                        "s", List.of(command("a", "1"), command("b", "2"), command("c", "3"), command("d", "4")))
                .get(10, TimeUnit.SECONDS);

        assertThat(response.results())
                .containsExactly(
                        new RecordResult.Accepted("shardId-000000000000", "1"),
                        new RecordResult.Failed(new KinesisError(
                                KinesisError.THROUGHPUT_EXCEEDED, "Rate exceeded for shard shardId-000000000001")),
                        new RecordResult.Accepted("shardId-000000000002", "3"),
                        new RecordResult.Failed(
                                new KinesisError(KinesisError.INTERNAL_FAILURE, "Internal service failure.")));
        JsonNode sent = JSON.readTree(stub.requests.get(0).body());
        assertThat(sent.get("Records")).hasSize(4);
        assertThat(sent.get("Records").get(2).get("PartitionKey").asText()).isEqualTo("c");
    }

    @Test
    void describeStream_readsTheRecordSizeLimit_andTheOpenShardsPageByPage() throws Exception {
        stub.answer(r -> switch (r.target()) {
            case "Kinesis_20131202.DescribeStreamSummary" -> json(200, """
                    {"StreamDescriptionSummary":{"StreamName":"s","StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s",
                     "StreamStatus":"ACTIVE","RetentionPeriodHours":24,"StreamCreationTimestamp":1.7E9,"EnhancedMonitoring":[],
                     "OpenShardCount":2,"MaxRecordSizeInKiB":4096}}""");
            case "Kinesis_20131202.ListShards" -> body(r).has("NextToken") ? json(200, """
                      {"Shards":[{"ShardId":"shardId-000000000002","HashKeyRange":{"StartingHashKey":"170141183460469231731687303715884105728",
                        "EndingHashKey":"340282366920938463463374607431768211455"},"SequenceNumberRange":{"StartingSequenceNumber":"5"}}]}""") : json(200, """
                      {"NextToken":"page-2","Shards":[
                       {"ShardId":"shardId-000000000000","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"340282366920938463463374607431768211455"},
                        "SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"4"}},
                       {"ShardId":"shardId-000000000001","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"170141183460469231731687303715884105727"},
                        "SequenceNumberRange":{"StartingSequenceNumber":"5"}}]}""");
            default -> json(400, "{\"__type\":\"UnknownOperationException\"}");
        });
        backend = jsonBackend;

        StreamDescription d = backend.describeStream("s").get(10, TimeUnit.SECONDS);

        assertThat(d.maxRecordSizeBytes()).isEqualTo(4096 * 1024);
        assertThat(d.shards().shards())
                .extracting(s -> s.shardId())
                .containsExactly("shardId-000000000001", "shardId-000000000002");
        List<StubHttpServer.Request> lists = stub.requests.stream()
                .filter(r -> r.target().endsWith("ListShards"))
                .toList();
        assertThat(lists).hasSize(2);
        assertThat(body(lists.get(0)).get("StreamName").asText()).isEqualTo("s");
        assertThat(body(lists.get(1)).has("StreamName")).isFalse();
        assertThat(body(lists.get(1)).get("NextToken").asText()).isEqualTo("page-2");
    }

    @Test
    void describeStream_withoutMaxRecordSize_meansOneMebibyte_andWorksInCborToo() throws Exception {
        stub.answer(r -> StubHttpServer.Response.of(
                200,
                CBOR_TYPE,
                CBOR.writeValueAsBytes(
                        r.target().endsWith("DescribeStreamSummary")
                                ? Map.of(
                                        "StreamDescriptionSummary",
                                        Map.of("StreamName", "s", "StreamStatus", "ACTIVE", "OpenShardCount", 1))
                                : Map.of(
                                        "Shards",
                                        List.of(Map.of(
                                                "ShardId",
                                                "shardId-000000000000",
                                                "HashKeyRange",
                                                Map.of(
                                                        "StartingHashKey",
                                                        "0",
                                                        "EndingHashKey",
                                                        "340282366920938463463374607431768211455"),
                                                "SequenceNumberRange",
                                                Map.of("StartingSequenceNumber", "1")))))));
        backend = AwsKinesisBackend.create(settings(true));

        StreamDescription d = backend.describeStream("s").get(10, TimeUnit.SECONDS);

        assertThat(d.maxRecordSizeBytes()).isEqualTo(1_048_576);
        assertThat(d.shards().size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1} -> {2} retryable={3}")
    @CsvSource({
        "400, ProvisionedThroughputExceededException, ProvisionedThroughputExceededException, true",
        "400, LimitExceededException,                  LimitExceededException,                  true",
        "400, KMSThrottlingException,                  KMSThrottlingException,                  true",
        "400, ThrottlingException,                     ThrottlingException,                     true",
        "500, InternalFailure,                         InternalFailure,                         true",
        "500, InternalFailureException,                InternalFailure,                         true",
        "502, BadGateway,                              InternalFailure,                         true",
        "503, ServiceUnavailableException,             ServiceUnavailable,                      true",
        "400, ResourceNotFoundException,               ResourceNotFoundException,               false",
        "400, InvalidArgumentException,                InvalidArgumentException,                false",
        "400, ValidationException,                     ValidationException,                     false",
        "400, AccessDeniedException,                   AccessDeniedException,                   false",
        "400, KMSAccessDeniedException,                KMSAccessDeniedException,                false",
        "400, KMSDisabledException,                    KMSDisabledException,                    false",
        "400, KMSNotFoundException,                    KMSNotFoundException,                    false",
        "400, KMSInvalidStateException,                KMSInvalidStateException,                false",
        "400, KMSOptInRequired,                        KMSOptInRequired,                        false",
        "403, UnrecognizedClientException,             UnrecognizedClientException,             false",
        "400, ExpiredTokenException,                   ExpiredTokenException,                   false",
    })
    void serviceErrors_keepAwsCodeAndMessage_andTheirRetryability(
            int status, String awsCode, String code, boolean retryable) {
        stub.answer(r -> json(status, "{\"__type\":\"" + awsCode + "\",\"message\":\"the service says no\"}"));
        backend = jsonBackend;

        Throwable thrown =
                catchThrowable(() -> backend.putRecord(command("user-1", "x")).join());

        assertThat(thrown).isInstanceOf(CompletionException.class);
        assertThat(thrown.getCause())
                .isInstanceOf(retryable ? RetryableKinesisException.class : NonRetryableKinesisException.class);
        KinesisException k = (KinesisException) thrown.getCause();
        assertThat(k.errorCode()).isEqualTo(code);
        assertThat(k.getMessage()).contains("the service says no");
        assertThat(k.streamName()).contains("s");
        assertThat(k.partitionKey()).contains("user-1");
    }

    @Test
    void serviceErrors_inCbor_areMappedToo() {
        stub.answer(r -> {
            try {
                return StubHttpServer.Response.of(
                        400,
                        CBOR_TYPE,
                        CBOR.writeValueAsBytes(Map.of(
                                "__type",
                                "ResourceNotFoundException",
                                "message",
                                "Stream s under account 123456789012 not found.")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        backend = AwsKinesisBackend.create(settings(true));

        Throwable thrown = catchThrowable(() -> backend.describeStream("s").join());

        assertThat(thrown.getCause())
                .isInstanceOf(NonRetryableKinesisException.class)
                .hasMessage("Stream s under account 123456789012 not found.");
    }

    @Test
    void noServiceAtAll_isRetryableServiceUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        backend = AwsKinesisBackend.create(settings(false).withEndpoint(URI.create("http://127.0.0.1:" + closedPort)));

        Throwable thrown =
                catchThrowable(() -> backend.putRecord(command("k", "x")).join());

        assertThat(thrown.getCause()).isInstanceOf(RetryableKinesisException.class);
        assertThat(((KinesisException) thrown.getCause()).errorCode()).isEqualTo(KinesisError.SERVICE_UNREACHABLE);
    }

    @Test
    void anAnswerTooLate_isRetryableServiceUnreachable() {
        stub.answer(r -> new StubHttpServer.Response(200, JSON_TYPE, "{}".getBytes(), 3000));
        backend = AwsKinesisBackend.create(settings(false).withAttemptTimeout(Duration.ofMillis(300)));

        Throwable thrown = catchThrowable(
                () -> backend.putRecords("s", List.of(command("k", "x"))).join());

        assertThat(thrown.getCause()).isInstanceOf(RetryableKinesisException.class);
        assertThat(((KinesisException) thrown.getCause()).errorCode()).isEqualTo(KinesisError.SERVICE_UNREACHABLE);
    }

    @Test
    void theSdkDoesNotRetry_theDispatcherDoes() {
        stub.answer(r -> json(500, "{\"__type\":\"InternalFailure\"}"));
        backend = jsonBackend;

        assertThatThrownBy(() -> backend.putRecord(command("k", "x")).join())
                .hasCauseInstanceOf(RetryableKinesisException.class);
        assertThat(stub.requests).hasSize(1);
    }
}
