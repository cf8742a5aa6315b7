package io.kinesisbridge.put;

/**
 * What became of one record: Kinesis accepted it with its place in a shard, or it failed with an error; or, from
 * the bridge's dispatcher only, it is held in the bridge's on-disk spool and will be sent when Kinesis answers again.
 */
public sealed interface RecordResult permits RecordResult.Accepted, RecordResult.Failed, RecordResult.Spooled {

    /** PutRecord's response, or a successful PutRecords entry. */
    record Accepted(String shardId, String sequenceNumber, String encryptionType) implements RecordResult {
        public static final String ENCRYPTION_NONE = "NONE";

        public Accepted(String shardId, String sequenceNumber) {
            this(shardId, sequenceNumber, ENCRYPTION_NONE);
        }
    }

    /** A failed PutRecords entry ({@code ErrorCode}, {@code ErrorMessage}), or a failed PutRecord. */
    record Failed(KinesisError error) implements RecordResult {}

    /**
     * Not sent yet but safe: written to the bridge's spool (store and forward), which sends it when Kinesis can be
     * reached again, in per-key order, across restarts. Backends never answer this.
     *
     * @param reason why it was spooled rather than sent (the last error, or older records of the stream waiting there)
     */
    record Spooled(String reason) implements RecordResult {}
}
