package io.kinesisbridge.app;

import io.kinesisbridge.source.file.OwnOutput;
import io.kinesisbridge.source.file.RecordFormat;
import io.kinesisbridge.source.file.TailSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code bridge.file.*} settings: the inbox and the tailer. The inbox directory, partition key and poll interval
 * reach the routes as placeholders.
 *
 * @param paths the tailed globs as given, comma-separated ({@link #tailGlobs()} splits them)
 */
record FileSettings(
        boolean enabled,
        String inbox,
        String stream,
        String paths,
        boolean startAtEnd,
        RecordFormat format,
        List<String> csvColumns,
        Optional<Pattern> multilineStart,
        Duration multilineFlush,
        Path checkpointFile,
        Duration rotateWait,
        int maxRecordBytes,
        boolean allowLinks) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool(
                    "bridge.file.enabled",
                    "true",
                    "Whether the file sources run: the inbox and, when bridge.file.paths is set, the tailer."),
            Setting.text(
                    "bridge.file.inbox",
                    "data/inbox",
                    "Directory whose new files are read line by line; a file is moved to `.done/` once every line is acknowledged or dead-lettered."),
            Setting.text("bridge.file.stream", "logs", "Stream the file sources (inbox and tail) put to."),
            Setting.text(
                    "bridge.file.partition-key",
                    "random",
                    "Partition key of file records, in the component's key syntax; `header:CamelFileName` keys by the file's path."),
            Setting.text(
                    "bridge.file.paths",
                    "",
                    "Files to tail: globs separated by commas (`/var/log/app/*.log,/srv/**/out.log`). Empty: no tailing."),
            Setting.oneOf(
                    "bridge.file.start-at",
                    "end",
                    List.of("beginning", "end"),
                    "Where tailing starts in files that exist at the very first run (no checkpoint file yet); files that appear later, and every file after a restart, are read from their start or their checkpoint."),
            Setting.oneOf(
                    "bridge.file.format",
                    "lines",
                    List.of("lines", "ndjson", "csv"),
                    "What a tailed line becomes: `lines` (the line as it is), `ndjson` (a JSON value, checked), `csv` (a JSON object keyed by the columns). A line that does not parse becomes `{\"unparsed\": true, \"error\": …, \"raw\": …}`."),
            Setting.text(
                    "bridge.file.csv.columns",
                    "",
                    "CSV column names, comma-separated; empty: each file's first line names them (and is not sent)."),
            Setting.custom(
                    "bridge.file.multiline.start",
                    "",
                    "A regular expression a record's first line matches (e.g. `^\\d{4}-\\d\\d-\\d\\d` for stack traces): other lines are joined to the record before them with a newline. Empty: one line, one record.",
                    SettingChecks::regex),
            Setting.integer(
                    "bridge.file.multiline.flush-ms",
                    "1000",
                    0,
                    3_600_000,
                    "How long a file must stay unchanged before its last multi-line record is sent."),
            Setting.text(
                    "bridge.file.checkpoint-file",
                    "data/file-tail-checkpoints.json",
                    "Where the tailer keeps each file's identity (inode), fingerprint and acknowledged offset."),
            Setting.integer(
                    "bridge.file.poll-ms", "250", 10, 60_000, "How often the tailer looks for new lines and files."),
            Setting.integer(
                    "bridge.file.rotate-wait-ms",
                    "2000",
                    0,
                    3_600_000,
                    "How long a file renamed away or deleted is still read for late writes before it is finished."),
            Setting.integer(
                    "bridge.file.max-record-bytes",
                    "1048576",
                    16,
                    10_485_760,
                    "A line (tailed, or of an inbox file) longer than this is not sent: it is dead-lettered once (error code `LineTooLong`) with its length and its first 1024 bytes. Data and partition key together must also fit the stream's maximum record size."),
            Setting.bool(
                    "bridge.file.allow-links",
                    "false",
                    "Whether the file sources read through symbolic links (inbox and tail) and read inbox files that have more than one hard link. False: such an inbox file is moved to `.failed/` unread, with a warning; a tailed link is skipped with a warning."));

    static FileSettings of(BridgeSettings s) {
        String multiline = s.text("bridge.file.multiline.start");
        return new FileSettings(
                s.bool("bridge.file.enabled"),
                s.text("bridge.file.inbox"),
                s.text("bridge.file.stream"),
                s.text("bridge.file.paths"),
                s.text("bridge.file.start-at").equals("end"),
                RecordFormat.parse(s.text("bridge.file.format")),
                SettingChecks.commaList(s.text("bridge.file.csv.columns")),
                multiline.isEmpty() ? Optional.empty() : Optional.of(Pattern.compile(multiline)),
                Duration.ofMillis(s.longValue("bridge.file.multiline.flush-ms")),
                Path.of(s.text("bridge.file.checkpoint-file")),
                Duration.ofMillis(s.longValue("bridge.file.rotate-wait-ms")),
                s.integer("bridge.file.max-record-bytes"),
                s.bool("bridge.file.allow-links"));
    }

    List<String> tailGlobs() {
        return SettingChecks.commaList(paths);
    }

    /** The tailer's settings, reading {@code maxBatchRecords} lines at a time and never what the bridge writes. */
    TailSettings tailSettings(int maxBatchRecords, OwnOutput ownOutput) {
        return new TailSettings(
                tailGlobs(),
                startAtEnd,
                format,
                csvColumns,
                multilineStart,
                multilineFlush,
                checkpointFile,
                rotateWait,
                maxBatchRecords,
                maxRecordBytes,
                stream,
                allowLinks,
                ownOutput);
    }
}
