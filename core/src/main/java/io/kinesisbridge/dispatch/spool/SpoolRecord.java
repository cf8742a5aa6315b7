package io.kinesisbridge.dispatch.spool;

import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.put.PutRecordCommand;
import java.util.Objects;

/**
 * A record as the spool keeps it: the validated command, the ordering it was submitted with, the sends it has had,
 * and when the bridge first took it.
 */
public record SpoolRecord(PutRecordCommand command, Ordering ordering, int attempts, long firstTakenMillis) {

    public SpoolRecord {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(ordering, "ordering");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }
}
