package io.kinesisbridge.backend.memory;

/** A record as a shard keeps it. Its sequence number is derived from the shard and position. */
record StoredRecord(long position, String partitionKey, byte[] data, long arrivalMillis) {

    /** What the record costs the memory cap: payload, key chars and the objects around them. */
    long footprintBytes() {
        return footprintOf(partitionKey, data);
    }

    static long footprintOf(String partitionKey, byte[] data) {
        return data.length + 2L * partitionKey.length() + 96;
    }
}
