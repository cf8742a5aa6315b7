package io.kinesisbridge.app;

import io.kinesisbridge.deadletter.FileDeadLetterSink;
import java.nio.file.Path;
import java.util.List;

/** The {@code bridge.dead-letter.*} settings: where rejected records are written, and how the files rotate. */
record DeadLetterSettings(Path dir, long maxFileBytes, int maxFiles) {

    static final List<Setting> SETTINGS = List.of(
            Setting.text(
                    "bridge.dead-letter.dir",
                    KinesisPutOption.dispatch("deadLetterDir"),
                    "Directory of the dead-letter files, one `<stream>.ndjson` per stream."),
            Setting.integer(
                    "bridge.dead-letter.max-file-bytes",
                    KinesisPutOption.dispatch("deadLetterMaxFileBytes"),
                    1024,
                    Long.MAX_VALUE,
                    "Size at which a dead-letter file is rotated to `.1`, `.2`, …"),
            Setting.integer(
                    "bridge.dead-letter.max-files",
                    KinesisPutOption.dispatch("deadLetterMaxFiles"),
                    1,
                    1000,
                    "Files kept per stream, the current one included; the oldest rotation is deleted past it."));

    static DeadLetterSettings of(BridgeSettings s) {
        return new DeadLetterSettings(
                Path.of(s.text("bridge.dead-letter.dir")),
                s.longValue("bridge.dead-letter.max-file-bytes"),
                s.integer("bridge.dead-letter.max-files"));
    }

    /** The dead-letter files of the routes. */
    FileDeadLetterSink sink() {
        return sinkIn(dir);
    }

    /** Dead-letter files in {@code directory}, rotated as these settings say. */
    FileDeadLetterSink sinkIn(Path directory) {
        return new FileDeadLetterSink(directory, maxFileBytes, maxFiles);
    }
}
