package io.kinesisbridge.server.operations;

/** Members that hold a stream or shard name, declared alike in every operation: {@code [a-zA-Z0-9_.-]+}, 1 to 128. */
final class NameMembers {

    static final String STREAM_NAME = "StreamName";

    private NameMembers() {}

    /** StreamName as most operations declare it: required. */
    static Member streamName() {
        return name(STREAM_NAME).required();
    }

    /** A stream or shard name: StreamName, ShardId, ExclusiveStartShardId, ExclusiveStartStreamName. */
    static Member name(String member) {
        return Member.string(member).pattern("[a-zA-Z0-9_.-]+").length(1, 128);
    }
}
