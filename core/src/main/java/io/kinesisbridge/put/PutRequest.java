package io.kinesisbridge.put;

import java.util.Arrays;
import java.util.Objects;

/**
 * A PutRecord request as it arrived, before validation: any field may be absent ({@code null}), exactly as in
 * the JSON request. {@link PutRecordValidator} turns it into a {@link PutRecordCommand} or an AWS error.
 */
public record PutRequest(
        String streamName, String partitionKey, byte[] data, String explicitHashKey, String sequenceNumberForOrdering) {

    public static PutRequest of(String streamName, String partitionKey, byte[] data) {
        return new PutRequest(streamName, partitionKey, data, null, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PutRequest other
                && Objects.equals(streamName, other.streamName)
                && Objects.equals(partitionKey, other.partitionKey)
                && Arrays.equals(data, other.data)
                && Objects.equals(explicitHashKey, other.explicitHashKey)
                && Objects.equals(sequenceNumberForOrdering, other.sequenceNumberForOrdering);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                streamName, partitionKey, Arrays.hashCode(data), explicitHashKey, sequenceNumberForOrdering);
    }

    /** Sizes, not contents, of the partition key and data: they may hold personal data, and this text may be logged. */
    @Override
    public String toString() {
        return "PutRequest[streamName=" + streamName + ", partitionKey="
                + (partitionKey == null ? "null" : partitionKey.length() + " chars") + ", data="
                + (data == null ? "null" : data.length + " bytes")
                + ", explicitHashKey=" + explicitHashKey
                + ", sequenceNumberForOrdering=" + sequenceNumberForOrdering + "]";
    }
}
