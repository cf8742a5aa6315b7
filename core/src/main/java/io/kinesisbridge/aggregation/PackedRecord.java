package io.kinesisbridge.aggregation;

import io.kinesisbridge.put.Utf8;
import java.util.List;

/**
 * One Kinesis record as the {@link Aggregator} hands it out: either a single user record as it is, or a KPL
 * aggregate of several. {@code userRecords} are the user records it carries, in order, for accounting and dead
 * letters; {@code explicitHashKey} is {@code null} when the partition key routes the record.
 */
public record PackedRecord(String partitionKey, String explicitHashKey, byte[] data, List<UserRecord> userRecords) {

    public PackedRecord {
        userRecords = List.copyOf(userRecords);
    }

    static PackedRecord single(UserRecord record) {
        return new PackedRecord(record.partitionKey(), record.explicitHashKey(), record.data(), List.of(record));
    }

    /** Whether {@link #data()} is in the KPL aggregated record format (more than one user record). */
    public boolean isAggregate() {
        return userRecords.size() > 1;
    }

    /** The size Kinesis counts against the maximum record size: data plus the partition key's UTF-8 bytes. */
    public int sizeBytes() {
        return data.length + Utf8.encodedLength(partitionKey);
    }

    /** Sizes, not contents: the key and data may hold personal data, and this text may be logged. */
    @Override
    public String toString() {
        return "PackedRecord[partitionKey=" + partitionKey.length() + " chars, explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes, userRecords=" + userRecords.size() + "]";
    }
}
