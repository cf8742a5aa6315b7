package io.kinesisbridge.dispatch.spool;

import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.put.PutRecordCommand;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

final class SpoolTestRecords {

    private SpoolTestRecords() {}

    static SpoolRecord record(String key, String data) {
        return new SpoolRecord(
                new PutRecordCommand(
                        "s", key, data.getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty()),
                Ordering.KEY,
                1,
                1_700_000_000_000L);
    }

    static String data(SpoolRead read) {
        return new String(read.record().command().data(), StandardCharsets.UTF_8);
    }
}
