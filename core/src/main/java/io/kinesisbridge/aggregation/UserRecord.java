package io.kinesisbridge.aggregation;

import io.kinesisbridge.put.HashKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record as a producer put it, before aggregation or after de-aggregation: its partition key, its
 * ExplicitHashKey (decimal, or {@code null}) and its data.
 */
public record UserRecord(String partitionKey, String explicitHashKey, byte[] data) {

    public UserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    public static UserRecord of(String partitionKey, byte[] data) {
        return new UserRecord(partitionKey, null, data);
    }

    /** Where Kinesis routes this record: its ExplicitHashKey when it has one, else the MD5 of its partition key. */
    public HashKey hashKey() {
        return explicitHashKey != null ? HashKey.parse(explicitHashKey) : HashKey.ofPartitionKey(partitionKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserRecord other
                && partitionKey.equals(other.partitionKey)
                && Objects.equals(explicitHashKey, other.explicitHashKey)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data));
    }

    /** Sizes, not contents, of the key and data: they may hold personal data, and this text may be logged. */
    @Override
    public String toString() {
        return "UserRecord[partitionKey=" + partitionKey.length() + " chars, explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes]";
    }
}
