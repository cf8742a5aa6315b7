package io.kinesisbridge.server.operations;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * NextToken of ListShards and ListStreams: opaque base64 strings that say where the next page starts. A
 * ListShards token names its stream (and the stream's creation time, so a token does not outlive the stream).
 */
final class PageTokens {

    private static final String SHARDS = "shards/1";
    private static final String STREAMS = "streams/1";

    private PageTokens() {}

    record ShardPage(String streamName, long streamCreatedMillis, String lastShardId) {}

    static String shards(String streamName, long streamCreatedMillis, String lastShardId) {
        return encode(SHARDS + "\n" + streamCreatedMillis + "\n" + lastShardId + "\n" + streamName);
    }

    static ShardPage shards(String token) {
        String[] parts = decode(token).split("\n", 4);
        if (parts.length != 4 || !parts[0].equals(SHARDS)) {
            throw invalid(token);
        }
        try {
            return new ShardPage(parts[3], Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw invalid(token);
        }
    }

    static String streams(String lastStreamName) {
        return encode(STREAMS + "\n" + lastStreamName);
    }

    static String lastStreamOf(String token) {
        String[] parts = decode(token).split("\n", 2);
        if (parts.length != 2 || !parts[0].equals(STREAMS)) {
            throw invalid(token);
        }
        return parts[1];
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(token);
        }
    }

    private static KinesisException invalid(String token) {
        return KinesisException.of(
                new KinesisError(KinesisError.INVALID_ARGUMENT, "Invalid NextToken: " + token), null, null);
    }
}
