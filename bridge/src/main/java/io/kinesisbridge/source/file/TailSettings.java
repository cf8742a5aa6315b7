package io.kinesisbridge.source.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the file tailer works.
 *
 * @param paths           globs of the files to tail; none: the tailer does nothing
 * @param startAtEnd      on the very first run (no checkpoint file yet), skip what existing files already hold
 * @param csvColumns      the CSV columns; empty: each file's first line names them
 * @param multilineStart  a line matching it starts a record, other lines continue the current one; empty: off
 * @param multilineFlush  how long a file must stay quiet before its last multi-line record is sent
 * @param rotateWait      how long a file renamed away (or deleted) is still watched for late writes
 * @param maxRecordBytes  a longer line is not sent but dead-lettered
 * @param stream          the stream the records go to: checkpoints written for another stream are not used
 * @param allowLinks      whether a glob may match a symbolic link and the file it points to is read
 * @param ownOutput       what the bridge writes, never tailed
 */
public record TailSettings(
        List<String> paths,
        boolean startAtEnd,
        RecordFormat format,
        List<String> csvColumns,
        Optional<Pattern> multilineStart,
        Duration multilineFlush,
        Path checkpointFile,
        Duration rotateWait,
        int maxBatchRecords,
        int maxRecordBytes,
        String stream,
        boolean allowLinks,
        OwnOutput ownOutput) {

    public TailSettings {
        paths = List.copyOf(paths);
        csvColumns = List.copyOf(csvColumns);
        if (maxBatchRecords < 1 || maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxBatchRecords and maxRecordBytes must be at least 1");
        }
    }
}
