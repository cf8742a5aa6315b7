package io.kinesisbridge.put;

/** What Kinesis answered for one record: accepted with its place in a shard, or failed with an error. */
public sealed interface RecordResult permits RecordResult.Accepted, RecordResult.Failed {

    /** PutRecord's response, or a successful PutRecords entry. */
    record Accepted(String shardId, String sequenceNumber, String encryptionType) implements RecordResult {
        public static final String ENCRYPTION_NONE = "NONE";

        public Accepted(String shardId, String sequenceNumber) {
            this(shardId, sequenceNumber, ENCRYPTION_NONE);
        }
    }

    /** A failed PutRecords entry ({@code ErrorCode}, {@code ErrorMessage}), or a failed PutRecord. */
    record Failed(KinesisError error) implements RecordResult {
    }
}
