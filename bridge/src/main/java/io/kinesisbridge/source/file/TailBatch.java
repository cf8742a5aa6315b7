package io.kinesisbridge.source.file;

import java.nio.file.Path;
import java.util.List;

/**
 * Records read from one file, from byte {@code start} to byte {@code end}: once Kinesis has accepted (or
 * dead-lettered) all of them, the file's checkpoint moves to {@code end}.
 */
public record TailBatch(String fileKey, Path path, long start, long end, List<byte[]> records) {

    public TailBatch {
        records = List.copyOf(records);
    }
}
