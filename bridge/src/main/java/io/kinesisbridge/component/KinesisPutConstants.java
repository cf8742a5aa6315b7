package io.kinesisbridge.component;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the kinesis-put component. Inputs and outputs have different names: a header the producer
 * reads is never overwritten with a result.
 */
public final class KinesisPutConstants {

    // ---- inputs: override the endpoint's configuration for one exchange

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Input: the partition key of the record(s), overriding the endpoint's partitionKey option.")
    public static final String PARTITION_KEY = "CamelKinesisPutPartitionKey";

    @Metadata(
            label = "producer",
            javaType = "String",
            description =
                    "Input: the ExplicitHashKey (a decimal from 0 to 2 to the power 128, minus 1), overriding the endpoint's explicitHashKey option.")
    public static final String EXPLICIT_HASH_KEY = "CamelKinesisPutExplicitHashKey";

    @Metadata(
            label = "producer",
            javaType = "String",
            description =
                    "Input: the SequenceNumberForOrdering to send with this record, overriding ordering=chain's own.")
    public static final String SEQUENCE_NUMBER_FOR_ORDERING = "CamelKinesisPutSequenceNumberForOrdering";

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Input: the stream to put to, overriding the endpoint's stream name.")
    public static final String STREAM_NAME = "CamelKinesisPutStreamName";

    // ---- outputs: one record

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Output: the shard the record was put to (ShardId of PutRecord's response).")
    public static final String SHARD_ID = "CamelKinesisPutShardId";

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Output: the record's sequence number (SequenceNumber of PutRecord's response).")
    public static final String SEQUENCE_NUMBER = "CamelKinesisPutSequenceNumber";

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Output: the record's encryption type, NONE or KMS.")
    public static final String ENCRYPTION_TYPE = "CamelKinesisPutEncryptionType";

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Output: the error code when the record was rejected (AWS's, such as ValidationException, "
                    + "or the bridge's, such as MissingPartitionKey); the record is in the dead-letter output.")
    public static final String ERROR_CODE = "CamelKinesisPutErrorCode";

    @Metadata(
            label = "producer",
            javaType = "String",
            description = "Output: the error message when the record was rejected.")
    public static final String ERROR_MESSAGE = "CamelKinesisPutErrorMessage";

    @Metadata(
            label = "producer",
            javaType = "boolean",
            description = "Output: true when the record was not sent yet but written to the bridge's spool (Kinesis "
                    + "could not be reached or kept throttling); the spool sends it later, in per-key order.")
    public static final String SPOOLED = "CamelKinesisPutSpooled";

    // ---- outputs: batch mode

    @Metadata(
            label = "producer",
            javaType = "java.util.List<io.kinesisbridge.put.RecordResult>",
            description = "Output (batch=true): one result per record of the body, in order: Accepted (shard id, "
                    + "sequence number, encryption type), Spooled (safe in the spool, sent later) or Failed (error "
                    + "code and message).")
    public static final String RESULTS = "CamelKinesisPutResults";

    @Metadata(
            label = "producer",
            javaType = "int",
            description = "Output: how many records of the exchange were rejected (0 or 1 unless batch=true).")
    public static final String FAILED_RECORD_COUNT = "CamelKinesisPutFailedRecordCount";

    private KinesisPutConstants() {}
}
