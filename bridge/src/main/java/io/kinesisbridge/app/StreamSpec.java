package io.kinesisbridge.app;

import io.kinesisbridge.put.PutRecordValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A stream the in-memory backend creates at start: {@code name:shards} or {@code name:shards:maxRecordSizeKiB}
 * (1024 to 10240, the range Kinesis allows).
 */
public record StreamSpec(String name, int shards, int maxRecordSizeBytes) {

    /** Parses a comma-separated list such as {@code clickstream:4,logs:2,big:1:10240}. */
    public static List<StreamSpec> parseList(String value) {
        List<StreamSpec> specs = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (value.isBlank()) {
            return specs;
        }
        for (String item : value.split(",")) {
            StreamSpec spec = parse(item.trim());
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("stream " + spec.name() + " is listed twice");
            }
            specs.add(spec);
        }
        return specs;
    }

    static StreamSpec parse(String item) {
        String[] parts = item.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("'" + item + "' is not name:shards or name:shards:maxRecordSizeKiB");
        }
        String name = parts[0];
        if (!PutRecordValidator.isStreamName(name) || name.length() > PutRecordValidator.MAX_STREAM_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not a stream name ([a-zA-Z0-9_.-], 1 to 128 characters)");
        }
        int shards = number(parts[1], "shard count", 1, 10_000, item);
        int maxKiB = parts.length == 3 ? number(parts[2], "maximum record size in KiB", 1024, 10240, item) : 1024;
        return new StreamSpec(name, shards, maxKiB * 1024);
    }

    private static int number(String text, String what, int min, int max, String item) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(
                "'" + item + "': the " + what + " must be a whole number from " + min + " to " + max);
    }
}
