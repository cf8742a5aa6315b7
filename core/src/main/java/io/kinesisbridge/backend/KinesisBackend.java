package io.kinesisbridge.backend;

import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where records go: Kinesis itself or the in-memory shard backend. Every method is asynchronous and never
 * blocks the caller. A whole request that fails completes its future exceptionally with a
 * {@link io.kinesisbridge.put.KinesisException} (retryable or not); failures of single PutRecords entries are
 * reported per entry instead.
 */
public interface KinesisBackend extends AutoCloseable {

    /** A short name for logs and metrics: {@code memory}, {@code aws}. */
    String name();

    /**
     * The stream's open shards and record size limit.
     * Fails with ResourceNotFoundException when the stream does not exist.
     */
    CompletableFuture<StreamDescription> describeStream(String streamName);

    /**
     * One PutRecord, honouring the command's SequenceNumberForOrdering.
     * Fails with the record's error (throttling is retryable; a missing stream or a bad argument is not).
     */
    CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command);

    /**
     * One PutRecords request of at most 500 records of one stream and 5 MiB. The response holds one result
     * per command, in the same order. Fails as a whole only when the request itself failed.
     */
    CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands);

    @Override
    void close();
}
