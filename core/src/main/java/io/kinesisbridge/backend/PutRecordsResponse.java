package io.kinesisbridge.backend;

import io.kinesisbridge.put.RecordResult;
import java.util.List;

/** PutRecords' answer: one result per request entry, in request order. */
public record PutRecordsResponse(List<RecordResult> results) {

    public PutRecordsResponse {
        results = List.copyOf(results);
    }

    public int failedRecordCount() {
        int failed = 0;
        for (RecordResult r : results) {
            if (r instanceof RecordResult.Failed) {
                failed++;
            }
        }
        return failed;
    }
}
