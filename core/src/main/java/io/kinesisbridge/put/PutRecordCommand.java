package io.kinesisbridge.put;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A PutRecord that passed {@link PutRecordValidator}: every field satisfies AWS's constraints for its stream.
 * Only the validator creates these from outside input.
 */
public record PutRecordCommand(
        String streamName,
        String partitionKey,
        byte[] data,
        Optional<String> explicitHashKey,
        Optional<String> sequenceNumberForOrdering) {

    public PutRecordCommand {
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(explicitHashKey, "explicitHashKey");
        Objects.requireNonNull(sequenceNumberForOrdering, "sequenceNumberForOrdering");
    }

    /** The hash key that decides the shard: the ExplicitHashKey when given, else the MD5 of the partition key. */
    public HashKey hashKey() {
        return explicitHashKey.map(HashKey::parse).orElseGet(() -> HashKey.ofPartitionKey(partitionKey));
    }

    /** Bytes that count against the record and request size limits: data plus the key's UTF-8 bytes. */
    public int sizeBytes() {
        return data.length + Utf8.encodedLength(partitionKey);
    }

    public PutRecordCommand withSequenceNumberForOrdering(Optional<String> sequenceNumber) {
        return new PutRecordCommand(streamName, partitionKey, data, explicitHashKey, sequenceNumber);
    }

    public PutRequest toRequest() {
        return new PutRequest(
                streamName, partitionKey, data, explicitHashKey.orElse(null), sequenceNumberForOrdering.orElse(null));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PutRecordCommand other
                && streamName.equals(other.streamName)
                && partitionKey.equals(other.partitionKey)
                && Arrays.equals(data, other.data)
                && explicitHashKey.equals(other.explicitHashKey)
                && sequenceNumberForOrdering.equals(other.sequenceNumberForOrdering);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                streamName, partitionKey, Arrays.hashCode(data), explicitHashKey, sequenceNumberForOrdering);
    }

    /** Sizes, not contents, of the partition key and data: they may hold personal data, and this text may be logged. */
    @Override
    public String toString() {
        return "PutRecordCommand[streamName=" + streamName + ", partitionKey=" + partitionKey.length() + " chars"
                + ", data=" + data.length + " bytes, explicitHashKey=" + explicitHashKey.orElse("-")
                + ", sequenceNumberForOrdering=" + sequenceNumberForOrdering.orElse("-") + "]";
    }
}
