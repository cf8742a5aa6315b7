package io.kinesisbridge.server.operations;

import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRequest;

/**
 * The members of a record as PutRecord and each PutRecords entry carry them. Their constraints depend on the stream
 * (its record size) and are shared with the kinesis-put component, so {@link io.kinesisbridge.put.PutRecordValidator}
 * checks them, not the declaration.
 */
final class RecordMembers {

    private RecordMembers() {}

    static Member[] declared() {
        return new Member[] {
            Member.string(PutRecordJson.STREAM_NAME),
            Member.string(PutRecordJson.PARTITION_KEY),
            Member.blob(PutRecordJson.DATA),
            Member.string(PutRecordJson.EXPLICIT_HASH_KEY),
            Member.string(PutRecordJson.SEQUENCE_NUMBER_FOR_ORDERING)
        };
    }

    /** The record as it arrived; null (an entry given as null) lacks every member. */
    static PutRequest toRequest(RequestValues r) {
        if (r == null) {
            return null;
        }
        return new PutRequest(
                r.string(PutRecordJson.STREAM_NAME),
                r.string(PutRecordJson.PARTITION_KEY),
                r.blob(PutRecordJson.DATA),
                r.string(PutRecordJson.EXPLICIT_HASH_KEY),
                r.string(PutRecordJson.SEQUENCE_NUMBER_FOR_ORDERING));
    }
}
