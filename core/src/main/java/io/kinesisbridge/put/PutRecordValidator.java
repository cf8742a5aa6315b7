package io.kinesisbridge.put;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place where a PutRecord or PutRecords request is checked against AWS's rules, with AWS's error types
 * and message texts. Used by the kinesis-put component, the dispatcher and the Kinesis-compatible endpoint.
 *
 * <p>Checks run in two phases, as in Kinesis: {@code check*Schema} gives the ValidationException for the
 * request's shape (fields in AWS's order; per field: null, pattern, minimum length, maximum length; at most ten
 * listed); {@code check*Arguments} gives the InvalidArgumentException for values the shape allows but the
 * stream does not (an ExplicitHashKey above 2^128-1, a record or request over its size limit). Kinesis answers
 * a missing stream between the two phases.
 */
public final class PutRecordValidator {

    /** A stream's maximum record size (data plus partition key) unless the stream raised it. */
    public static final int DEFAULT_MAX_RECORD_SIZE_BYTES = 1_048_576;
    /** The highest maximum record size a stream can be given. */
    public static final int LARGEST_MAX_RECORD_SIZE_BYTES = 10_485_760;

    public static final int MAX_RECORDS_PER_REQUEST = 500;
    /** A PutRecords request's limit: data plus partition keys of all its records. */
    public static final int MAX_REQUEST_BYTES = 5 * 1_048_576;

    public static final int MAX_PARTITION_KEY_LENGTH = 256;
    public static final int MAX_STREAM_NAME_LENGTH = 128;

    static final String STREAM_NAME_PATTERN = "[a-zA-Z0-9_.-]+";
    static final String HASH_KEY_PATTERN = "0|([1-9]\\d{0,38})";
    static final String SEQUENCE_NUMBER_PATTERN = "0|([1-9]\\d{0,128})";
    private static final String RECORDS_ENTRY_STRING =
            "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310";

    private PutRecordValidator() {}

    /** Validates both phases and returns the command, or throws the AWS error as a NonRetryableKinesisException. */
    public static PutRecordCommand validate(PutRequest request, int maxRecordSizeBytes) {
        Optional<KinesisError> error = checkPutRecordSchema(request, maxRecordSizeBytes)
                .or(() -> checkPutRecordArguments(request, maxRecordSizeBytes));
        if (error.isPresent()) {
            throw KinesisException.of(error.get(), request.streamName(), request.partitionKey());
        }
        return new PutRecordCommand(
                request.streamName(),
                request.partitionKey(),
                request.data(),
                Optional.ofNullable(request.explicitHashKey()),
                Optional.ofNullable(request.sequenceNumberForOrdering()));
    }

    /**
     * Validates a PutRecords request in both phases and returns one command per entry, or throws the AWS error
     * as a NonRetryableKinesisException.
     */
    public static List<PutRecordCommand> validatePutRecords(
            String streamName, List<PutRequest> records, int maxRecordSizeBytes) {
        Optional<KinesisError> error = checkPutRecordsSchema(streamName, records, maxRecordSizeBytes)
                .or(() -> checkPutRecordsArguments(records, maxRecordSizeBytes));
        if (error.isPresent()) {
            throw KinesisException.of(error.get(), streamName, null);
        }
        List<PutRecordCommand> commands = new ArrayList<>(records.size());
        for (PutRequest r : records) {
            commands.add(new PutRecordCommand(
                    streamName,
                    r.partitionKey(),
                    r.data(),
                    Optional.ofNullable(r.explicitHashKey()),
                    Optional.empty()));
        }
        return commands;
    }

    /** The ValidationException AWS gives a PutRecord request of this shape, if any. */
    public static Optional<KinesisError> checkPutRecordSchema(PutRequest request, int maxRecordSizeBytes) {
        ValidationErrors v = new ValidationErrors();
        checkPattern(
                v, "sequenceNumberForOrdering", request.sequenceNumberForOrdering(), false, SEQUENCE_NUMBER_PATTERN);
        checkPartitionKey(v, "partitionKey", request.partitionKey());
        checkPattern(v, "explicitHashKey", request.explicitHashKey(), false, HASH_KEY_PATTERN);
        checkData(v, "data", request.data(), maxRecordSizeBytes);
        checkStreamName(v, request.streamName());
        return v.toError();
    }

    /**
     * The ValidationException AWS gives a PutRecords request of this shape, if any. The entries' own stream
     * names and sequence numbers are ignored (PutRecords has neither per entry).
     */
    public static Optional<KinesisError> checkPutRecordsSchema(
            String streamName, List<PutRequest> records, int maxRecordSizeBytes) {
        ValidationErrors v = new ValidationErrors();
        if (records == null) {
            v.add("null", "records", "Member must not be null");
        } else {
            if (records.isEmpty()) {
                v.add(listString(records), "records", "Member must have length greater than or equal to 1");
            }
            if (records.size() > MAX_RECORDS_PER_REQUEST) {
                v.add(
                        listString(records),
                        "records",
                        "Member must have length less than or equal to " + MAX_RECORDS_PER_REQUEST);
            }
            for (int i = 0; i < records.size() && !v.full(); i++) {
                PutRequest entry = records.get(i);
                String prefix = "records." + (i + 1) + ".member.";
                if (entry == null) {
                    entry = new PutRequest(null, null, null, null, null); // a null entry lacks every member
                }
                checkPartitionKey(v, prefix + "partitionKey", entry.partitionKey());
                checkPattern(v, prefix + "explicitHashKey", entry.explicitHashKey(), false, HASH_KEY_PATTERN);
                checkData(v, prefix + "data", entry.data(), maxRecordSizeBytes);
            }
        }
        checkStreamName(v, streamName);
        return v.toError();
    }

    /** The InvalidArgumentException AWS gives a schema-valid PutRecord on a stream of this record size, if any. */
    public static Optional<KinesisError> checkPutRecordArguments(PutRequest request, int maxRecordSizeBytes) {
        return checkHashKeyRange(request.explicitHashKey()).or(() -> checkRecordSize(request, maxRecordSizeBytes));
    }

    /** The InvalidArgumentException AWS gives a schema-valid PutRecords request, if any. */
    public static Optional<KinesisError> checkPutRecordsArguments(List<PutRequest> records, int maxRecordSizeBytes) {
        long total = 0;
        for (PutRequest entry : records) {
            Optional<KinesisError> error =
                    checkHashKeyRange(entry.explicitHashKey()).or(() -> checkRecordSize(entry, maxRecordSizeBytes));
            if (error.isPresent()) {
                return error;
            }
            total += entry.data().length + Utf8.encodedLength(entry.partitionKey());
        }
        if (total > MAX_REQUEST_BYTES) {
            return Optional.of(new KinesisError(KinesisError.INVALID_ARGUMENT, "Records size exceeds 5 MB limit"));
        }
        return Optional.empty();
    }

    /**
     * The InvalidArgumentException AWS gives a SequenceNumberForOrdering of the right pattern that it cannot use:
     * one that holds no {@link SequenceNumber} layout, or whose record time lies in the future. AWS takes any other
     * value, whichever stream, shard or account issued it.
     */
    public static Optional<KinesisError> checkSequenceNumberForOrdering(
            String sequenceNumber, String streamName, String accountId, long nowMillis) {
        if (sequenceNumber == null) {
            return Optional.empty();
        }
        boolean usable = SequenceNumber.parse(sequenceNumber)
                .filter(n -> !n.isFromTheFuture(nowMillis))
                .isPresent();
        if (usable) {
            return Optional.empty();
        }
        return Optional.of(new KinesisError(
                KinesisError.INVALID_ARGUMENT,
                "ExclusiveMinimumSequenceNumber " + sequenceNumber + " used in PutRecord on stream " + streamName
                        + " under account " + accountId + " is invalid."));
    }

    /** The data length the request schema allows: 1 MiB, or 10 MiB on a stream that raised its record size. */
    public static int schemaDataLimit(int maxRecordSizeBytes) {
        return maxRecordSizeBytes > DEFAULT_MAX_RECORD_SIZE_BYTES
                ? LARGEST_MAX_RECORD_SIZE_BYTES
                : DEFAULT_MAX_RECORD_SIZE_BYTES;
    }

    private static Optional<KinesisError> checkHashKeyRange(String explicitHashKey) {
        if (explicitHashKey != null && new BigInteger(explicitHashKey).compareTo(HashKey.MAX_VALUE) > 0) {
            return Optional.of(new KinesisError(
                    KinesisError.INVALID_ARGUMENT,
                    "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
                            + explicitHashKey));
        }
        return Optional.empty();
    }

    private static Optional<KinesisError> checkRecordSize(PutRequest request, int maxRecordSizeBytes) {
        long size = (long) request.data().length + Utf8.encodedLength(request.partitionKey());
        if (size > maxRecordSizeBytes) {
            return Optional.of(new KinesisError(
                    KinesisError.INVALID_ARGUMENT,
                    "Record size of " + size + " bytes (data plus partition key) exceeds the maximum record size of "
                            + maxRecordSizeBytes + " bytes"
                            + (request.streamName() == null ? "" : " of stream " + request.streamName()) + "."));
        }
        return Optional.empty();
    }

    private static void checkPartitionKey(ValidationErrors v, String field, String key) {
        if (key == null) {
            v.add("null", field, "Member must not be null");
            return;
        }
        if (key.isEmpty()) {
            v.add(ValidationErrors.quote(key), field, "Member must have length greater than or equal to 1");
        }
        if (key.length() > MAX_PARTITION_KEY_LENGTH) {
            v.add(
                    ValidationErrors.quote(key),
                    field,
                    "Member must have length less than or equal to " + MAX_PARTITION_KEY_LENGTH);
        }
    }

    /** StreamName as every operation checks it: required, the name pattern, 1 to 128 characters. */
    public static void checkStreamName(ValidationErrors v, String name) {
        checkStreamName(v, "streamName", name, true);
    }

    /**
     * A member holding a stream or shard name ({@code [a-zA-Z0-9_.-]+}, 1 to 128 characters): StreamName,
     * ShardId, ExclusiveStartShardId, ExclusiveStartStreamName.
     */
    public static void checkStreamName(ValidationErrors v, String field, String name, boolean required) {
        v.string(
                field,
                name,
                required,
                STREAM_NAME_PATTERN,
                name != null && isStreamName(name),
                1,
                MAX_STREAM_NAME_LENGTH);
    }

    /** A member holding a sequence number ({@code 0|([1-9]\d{0,128})}): StartingSequenceNumber and the like. */
    public static void checkSequenceNumber(ValidationErrors v, String field, String value) {
        checkPattern(v, field, value, false, SEQUENCE_NUMBER_PATTERN);
    }

    private static void checkData(ValidationErrors v, String field, byte[] data, int maxRecordSizeBytes) {
        if (data == null) {
            v.add("null", field, "Member must not be null");
            return;
        }
        int limit = schemaDataLimit(maxRecordSizeBytes);
        if (data.length > limit) {
            v.add(
                    "'java.nio.HeapByteBuffer[pos=0 lim=" + data.length + " cap=" + data.length + "]'",
                    field,
                    "Member must have length less than or equal to " + limit);
        }
    }

    private static void checkPattern(ValidationErrors v, String field, String value, boolean notNull, String pattern) {
        if (value == null) {
            if (notNull) {
                v.add("null", field, "Member must not be null");
            }
            return;
        }
        int maxDigits = pattern.equals(HASH_KEY_PATTERN) ? 39 : 129;
        if (!isDecimal(value, maxDigits)) {
            v.add(ValidationErrors.quote(value), field, "Member must satisfy regular expression pattern: " + pattern);
        }
    }

    /** {@code [a-zA-Z0-9_.-]+}, matched against the whole string. */
    public static boolean isStreamName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code 0|([1-9]\d{0,maxDigits-1})}, matched against the whole string. */
    static boolean isDecimal(String s, int maxDigits) {
        int n = s.length();
        if (n == 0 || n > maxDigits) {
            return false;
        }
        if (s.charAt(0) == '0') {
            return n == 1;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String listString(List<PutRequest> records) {
        StringBuilder s = new StringBuilder("'[");
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(RECORDS_ENTRY_STRING);
        }
        return s.append("]'").toString();
    }
}
