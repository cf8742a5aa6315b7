package io.kinesisbridge.dispatch;

import java.util.Locale;

/** What order records of one partition key must keep on their way to Kinesis. */
public enum Ordering {
    /** No promise: records are batched and retried freely. */
    NONE,
    /**
     * Records of one partition key reach the backend in the order they were submitted: at most one record per key
     * is in flight, so a retried record can never overtake or fall behind its neighbours.
     */
    KEY,
    /**
     * As {@link #KEY}, and each record is a PutRecord whose SequenceNumberForOrdering is the sequence number
     * returned for the key's previous record, so Kinesis itself orders them.
     */
    CHAIN;

    public static Ordering parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ordering must be one of none, key, chain; got '" + value + "'");
        }
    }
}
