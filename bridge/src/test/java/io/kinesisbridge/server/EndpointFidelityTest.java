package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.waiters.KinesisAsyncWaiter;

/**
 * The endpoint closer to AWS, through real HTTP: AWS's request ids, and the realism switches (CREATING and DELETING
 * times, the account shard quota, the signature-structure check) driven by the AWS SDK for Java v2 and raw requests.
 */
class EndpointFidelityTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String JSON = "application/x-amz-json-1.1";
    private static final String SIGV4 =
            "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/kinesis/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000";

    private static HttpResponse<String> post(String url, String operation, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", JSON)
                .header("X-Amz-Target", "Kinesis_20131202." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KinesisAsyncWaiter fastWaiter(KinesisAsyncClient kinesis) {
        return KinesisAsyncWaiter.builder()
                .client(kinesis)
                .overrideConfiguration(o -> o.backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100)))
                        .maxAttempts(200))
                .build();
    }

    private static void assertAwsError(
            Runnable call, Class<? extends KinesisException> type, String code, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(type, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void everyAnswer_carriesAUuidRequestId_andAnAwsShapedExtendedId() throws Exception {
        try (RunningEndpoint server = RunningEndpoint.start()) {
            server.store.createStream("ids", 1);
            Set<String> seen = new HashSet<>();
            HttpResponse<String> ok = post(server.url(), "ListStreams", "{}");
            HttpResponse<String> error = post(server.url(), "DescribeStream", "{\"StreamName\":\"nope\"}");
            HttpResponse<String> get = HTTP.send(
                    HttpRequest.newBuilder(URI.create(server.url())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(get.statusCode()).isEqualTo(403);
            for (HttpResponse<String> r : List.of(ok, error, get)) {
                String id = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
                assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(seen.add(id)).as("a fresh id per request").isTrue();
                String id2 = r.headers().firstValue("x-amz-id-2").orElseThrow();
                assertThat(id2).hasSize(96);
                assertThat(Base64.getDecoder().decode(id2)).hasSize(72);
            }
        }
    }

    @Test
    void createAndDeleteDelays_streamsAreCreatingThenActive_deletingThenGone_asTheSdkWaitersExpect() {
        MemoryBackendSettings delayed =
                MemoryBackendSettings.defaults().withStreamDelays(Duration.ofMillis(1500), Duration.ofMillis(1500));
        try (RunningEndpoint server = RunningEndpoint.start(delayed, FaultSettings.none(), Clock.systemUTC());
                KinesisAsyncClient kinesis = SdkClients.kinesis(server.url())) {
            kinesis.createStream(b -> b.streamName("slow").shardCount(2)).join();
            DescribeStreamResponse creating =
                    kinesis.describeStream(b -> b.streamName("slow")).join();
            assertThat(creating.streamDescription().streamStatus()).isEqualTo(StreamStatus.CREATING);
            assertThat(creating.streamDescription().shards()).isEmpty();
            assertThat(kinesis.describeStreamSummary(b -> b.streamName("slow"))
                            .join()
                            .streamDescriptionSummary()
                            .openShardCount())
                    .isZero();
            assertAwsError(
                    () -> kinesis.putRecord(
                                    b -> b.streamName("slow").partitionKey("k").data(SdkBytes.fromUtf8String("x")))
                            .join(),
                    ResourceNotFoundException.class,
                    "ResourceNotFoundException",
                    "Stream slow under account 123456789012 not found.");
            assertAwsError(
                    () -> kinesis.listShards(b -> b.streamName("slow")).join(),
                    ResourceInUseException.class,
                    "ResourceInUseException",
                    "Stream slow under account 123456789012 not ACTIVE or UPDATING, instead in state CREATING");
            assertAwsError(
                    () -> kinesis.createStream(b -> b.streamName("slow").shardCount(1))
                            .join(),
                    ResourceInUseException.class,
                    "ResourceInUseException",
                    "Stream slow under account 123456789012 already exists.");

            DescribeStreamResponse active = fastWaiter(kinesis)
                    .waitUntilStreamExists(b -> b.streamName("slow"))
                    .join()
                    .matched()
                    .response()
                    .orElseThrow();
            assertThat(active.streamDescription().streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(active.streamDescription().shards()).hasSize(2);
            kinesis.putRecord(b -> b.streamName("slow").partitionKey("k").data(SdkBytes.fromUtf8String("x")))
                    .join();

            kinesis.deleteStream(b -> b.streamName("slow")).join();
            assertThat(kinesis.describeStream(b -> b.streamName("slow"))
                            .join()
                            .streamDescription()
                            .streamStatus())
                    .isEqualTo(StreamStatus.DELETING);
            assertAwsError(
                    () -> kinesis.createStream(b -> b.streamName("slow").shardCount(1))
                            .join(),
                    ResourceInUseException.class,
                    "ResourceInUseException",
                    "Stream slow under account 123456789012 already exists.");
            fastWaiter(kinesis)
                    .waitUntilStreamNotExists(b -> b.streamName("slow"))
                    .join();
            assertThat(kinesis.listStreams().join().streamNames()).doesNotContain("slow");
        }
    }

    @Test
    void accountShardLimit_aStreamPastIt_isLimitExceeded_withAwsMessage() {
        MemoryBackendSettings quota = MemoryBackendSettings.defaults().withAccountShardLimit(500);
        try (RunningEndpoint server = RunningEndpoint.start(quota, FaultSettings.none(), Clock.systemUTC());
                KinesisAsyncClient kinesis = SdkClients.kinesis(server.url())) {
            assertAwsError(
                    () -> kinesis.createStream(b -> b.streamName("big").shardCount(1000))
                            .join(),
                    LimitExceededException.class,
                    "LimitExceededException",
                    "This request would exceed the shard limit for the account 123456789012 in us-east-1. "
                            + "Current shard count for the account: 0. Limit: 500. Number of additional shards that would have "
                            + "resulted from this request: 1000. Refer to the AWS Service Limits page "
                            + "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how "
                            + "to request higher limits.");
            kinesis.createStream(b -> b.streamName("fits").shardCount(500)).join();
        }
    }

    @Test
    void requireSignature_unsignedOrMalformed_getAwsAnswers_signedClientsWork() throws Exception {
        try (RunningEndpoint server = RunningEndpoint.start(
                        MemoryBackendSettings.defaults(),
                        FaultSettings.none(),
                        Clock.systemUTC(),
                        SignatureCheck.STRUCTURE);
                KinesisAsyncClient signed = SdkClients.kinesis(server.url());
                KinesisAsyncClient anonymous = KinesisAsyncClient.builder()
                        .endpointOverride(URI.create(server.url()))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(AnonymousCredentialsProvider.create())
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build()) {
            signed.createStream(b -> b.streamName("signed").shardCount(1)).join();
            assertThat(signed.putRecord(b ->
                                    b.streamName("signed").partitionKey("k").data(SdkBytes.fromUtf8String("x")))
                            .join()
                            .shardId())
                    .isEqualTo("shardId-000000000000");
            assertAwsError(
                    () -> anonymous.listStreams().join(),
                    KinesisException.class,
                    "MissingAuthenticationTokenException",
                    "Missing Authentication Token");

            HttpResponse<String> incomplete = post(server.url(), "ListStreams", "{}", "Authorization", "X");
            assertThat(incomplete.statusCode()).isEqualTo(400);
            assertThat(incomplete.body())
                    .isEqualTo("{\"__type\":\"IncompleteSignatureException\",\"message\":\""
                            + "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                            + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of "
                            + "either a 'X-Amz-Date' or a 'Date' header. Authorization=X\"}");
            HttpResponse<String> noSignedHeaders = post(
                    server.url(), "ListStreams", "{}", "Authorization", "AWS4- Signature=b, Credential=a", "Date", "a");
            assertThat(noSignedHeaders.body())
                    .contains("\"message\":\"Authorization header requires 'SignedHeaders' parameter. "
                            + "Authorization=AWS4- Signature=b, Credential=a\"");
            HttpResponse<String> both =
                    post(server.url() + "/?X-Amz-Algorithm", "ListStreams", "{}", "Authorization", "X");
            assertThat(both.body())
                    .isEqualTo("{\"__type\":\"InvalidSignatureException\",\"message\":\"Found both "
                            + "'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.\"}");
            HttpResponse<String> dated =
                    post(server.url(), "ListStreams", "{}", "Authorization", SIGV4, "X-Amz-Date", "20260101T000000Z");
            assertThat(dated.statusCode()).isEqualTo(200);

            // the body's syntax and the operation are checked first, as AWS does
            assertThat(post(server.url(), "ListStreams", "{\"Limit\":").body())
                    .isEqualTo("{\"__type\":\"SerializationException\"}");
            assertThat(post(server.url(), "FlyToTheMoon", "{}").body())
                    .isEqualTo("{\"__type\":\"UnknownOperationException\"}");
            HttpResponse<String> get = HTTP.send(
                    HttpRequest.newBuilder(URI.create(server.url())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(403);
            assertThat(get.body())
                    .isEqualTo(
                            "<MissingAuthenticationTokenException>\n  <Message>Missing Authentication Token</Message>\n"
                                    + "</MissingAuthenticationTokenException>\n");
        }
    }

    @Test
    void withoutRequireSignature_anUnsignedRequestIsServed() throws Exception {
        try (RunningEndpoint server = RunningEndpoint.start()) {
            assertThat(post(server.url(), "ListStreams", "{}").statusCode()).isEqualTo(200);
        }
    }
}
