package io.kinesisbridge.backend.aws;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The {@code aws} backend: Kinesis Data Streams through the AWS SDK's async client on Netty. It only makes the
 * calls; batching, lanes, pacing and retries are the dispatcher's, so the SDK's own retries are off (a failure
 * reaches the dispatcher's retry policy at once, and is counted). Errors become {@link
 * io.kinesisbridge.put.KinesisException}s in {@link AwsErrors}.
 */
public final class AwsKinesisBackend implements KinesisBackend {

    private static final Logger LOG = LoggerFactory.getLogger(AwsKinesisBackend.class);
    private static final int LIST_SHARDS_PAGE = 1000;

    private final KinesisAsyncClient client;
    private final SdkAsyncHttpClient http;
    private final AwsCredentials credentials;
    private final AwsBackendSettings settings;

    private AwsKinesisBackend(
            KinesisAsyncClient client,
            SdkAsyncHttpClient http,
            AwsCredentials credentials,
            AwsBackendSettings settings) {
        this.client = client;
        this.http = http;
        this.credentials = credentials;
        this.settings = settings;
    }

    /** @throws AwsSetupException when no region is known or the credentials do not resolve */
    public static AwsKinesisBackend create(AwsBackendSettings settings) {
        AwsSetupCheck.regionKnown(settings);
        NettyNioAsyncHttpClient.Builder netty = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(settings.maxConcurrency())
                .connectionTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .connectionAcquisitionTimeout(settings.acquisitionTimeout())
                // a plain http:// endpoint (kinesalite, a local endpoint) speaks no HTTP/2
                .protocol(settings.http2() ? Protocol.HTTP2 : Protocol.HTTP1_1);
        SdkAsyncHttpClient http = netty.build();
        AwsCredentials credentials = AwsCredentials.of(settings);
        try {
            AwsSetupCheck.credentialsResolve(settings, credentials);
            KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
                    .httpClient(http)
                    .credentialsProvider(credentials.provider())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallAttemptTimeout(settings.attemptTimeout())
                            .addExecutionInterceptor(new WireFormatInterceptor(settings.cbor()))
                            .build());
            settings.region().map(Region::of).ifPresent(builder::region);
            settings.endpointOverride().ifPresent(builder::endpointOverride);
            KinesisAsyncClient client = builder.build();
            LOG.debug(
                    "AWS backend: region {}, endpoint {}, {} on the wire, {} up to {} connections, credentials from {}",
                    settings.region().orElse("from the SDK's region chain"),
                    settings.endpointOverride().map(Object::toString).orElse("the region's"),
                    settings.cbor() ? "CBOR" : "JSON",
                    settings.http2() ? "HTTP/2" : "HTTP/1.1",
                    settings.maxConcurrency(),
                    credentials.description());
            return new AwsKinesisBackend(client, http, credentials, settings);
        } catch (RuntimeException e) {
            credentials.close();
            http.close();
            throw e;
        }
    }

    public AwsBackendSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "aws";
    }

    /**
     * DescribeStreamSummary for the record size limit (MaxRecordSizeInKiB where reported, else 1 MiB), and
     * ListShards, page by page, for the open shards (those without an ending sequence number).
     */
    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        CompletableFuture<Integer> maxRecordSize = client.describeStreamSummary(r -> r.streamName(streamName))
                .thenApply(r -> Optional.ofNullable(r.streamDescriptionSummary().maxRecordSizeInKiB())
                        .map(kib -> kib * 1024)
                        .orElse(PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES));
        CompletableFuture<List<ShardRange>> shards = listOpenShards(
                ListShardsRequest.builder()
                        .streamName(streamName)
                        .maxResults(LIST_SHARDS_PAGE)
                        .build(),
                new ArrayList<>());
        return maxRecordSize
                .thenCombine(shards, (size, open) -> new StreamDescription(streamName, new ShardMap(open), size))
                .exceptionallyCompose(
                        e -> CompletableFuture.failedFuture(AwsErrors.toKinesisException(e, streamName, null)));
    }

    private CompletableFuture<List<ShardRange>> listOpenShards(ListShardsRequest request, List<ShardRange> open) {
        return client.listShards(request).thenCompose((ListShardsResponse page) -> {
            for (Shard s : page.shards()) {
                if (s.sequenceNumberRange() == null || s.sequenceNumberRange().endingSequenceNumber() == null) {
                    open.add(new ShardRange(
                            s.shardId(),
                            HashKey.parse(s.hashKeyRange().startingHashKey()),
                            HashKey.parse(s.hashKeyRange().endingHashKey())));
                }
            }
            if (page.nextToken() == null || page.nextToken().isEmpty()) {
                return CompletableFuture.completedFuture(open);
            }
            // a page after the first names only the token: StreamName and NextToken exclude each other
            return listOpenShards(
                    ListShardsRequest.builder()
                            .nextToken(page.nextToken())
                            .maxResults(LIST_SHARDS_PAGE)
                            .build(),
                    open);
        });
    }

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        PutRecordRequest.Builder request = PutRecordRequest.builder()
                .streamName(command.streamName())
                .partitionKey(command.partitionKey())
                .data(SdkBytes.fromByteArrayUnsafe(command.data()));
        command.explicitHashKey().ifPresent(request::explicitHashKey);
        command.sequenceNumberForOrdering().ifPresent(request::sequenceNumberForOrdering);
        CompletableFuture<RecordResult.Accepted> answer;
        try {
            answer = client.putRecord(request.build())
                    .thenApply(r -> new RecordResult.Accepted(
                            r.shardId(), r.sequenceNumber(), encryption(r.encryptionTypeAsString())));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                AwsErrors.toKinesisException(e, command.streamName(), command.partitionKey())));
    }

    /** One PutRecords; each result entry answers the request entry at the same index. */
    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(commands.size());
        for (PutRecordCommand c : commands) {
            PutRecordsRequestEntry.Builder e = PutRecordsRequestEntry.builder()
                    .partitionKey(c.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(c.data()));
            c.explicitHashKey().ifPresent(e::explicitHashKey);
            entries.add(e.build());
        }
        CompletableFuture<PutRecordsResponse> answer;
        try {
            answer = client.putRecords(PutRecordsRequest.builder()
                            .streamName(streamName)
                            .records(entries)
                            .build())
                    .thenApply(r -> {
                        List<PutRecordsResultEntry> results = r.records();
                        if (results.size() != commands.size()) {
                            throw new IllegalStateException("PutRecords answered " + results.size() + " entries for "
                                    + commands.size() + " records");
                        }
                        String encryption = encryption(r.encryptionTypeAsString());
                        List<RecordResult> mapped = new ArrayList<>(results.size());
                        for (PutRecordsResultEntry entry : results) {
                            mapped.add(
                                    entry.errorCode() != null
                                            ? new RecordResult.Failed(new KinesisError(
                                                    entry.errorCode(),
                                                    Optional.ofNullable(entry.errorMessage())
                                                            .orElse(entry.errorCode())))
                                            : new RecordResult.Accepted(
                                                    entry.shardId(), entry.sequenceNumber(), encryption));
                        }
                        return new PutRecordsResponse(mapped);
                    });
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionallyCompose(
                e -> CompletableFuture.failedFuture(AwsErrors.toKinesisException(e, streamName, null)));
    }

    private static String encryption(String type) {
        return type == null || type.isEmpty() || type.equals("null") ? RecordResult.Accepted.ENCRYPTION_NONE : type;
    }

    @Override
    public void close() {
        client.close();
        http.close();
        credentials.close();
    }
}
