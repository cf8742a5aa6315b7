package io.kinesisbridge.source.file;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Joins lines into records: a line matching {@code start} begins a record, other lines continue the one being
 * built (joined with a newline). A record that would pass {@code maxRecordBytes} ends there, and the line goes on
 * as the next one, so that nothing is lost. Blank lines between records are skipped.
 */
final class MultilineRecords {

    private final Pattern start;
    private final int maxRecordBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private boolean hasPending;
    private long pendingStart;

    MultilineRecords(Pattern start, int maxRecordBytes) {
        this.start = start;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Takes the next line; returns the record it ended, if any. */
    Optional<byte[]> add(LineReader.Line line) {
        byte[] content = line.content();
        boolean starts =
                start.matcher(new String(content, StandardCharsets.UTF_8)).find();
        Optional<byte[]> ended = Optional.empty();
        if (hasPending && starts) {
            ended = flush();
        } else if (hasPending && pending.size() + 1 + content.length > maxRecordBytes) {
            ended = flush();
            begin(line);
            return ended;
        } else if (hasPending) {
            pending.write('\n');
            pending.writeBytes(content);
            return ended;
        }
        if (content.length > 0 || starts) {
            begin(line);
        }
        return ended;
    }

    boolean hasPending() {
        return hasPending;
    }

    /** Where the record being built starts in the file. */
    long pendingStart() {
        return pendingStart;
    }

    /** The record being built, now ended. */
    Optional<byte[]> flush() {
        if (!hasPending) {
            return Optional.empty();
        }
        byte[] record = pending.toByteArray();
        pending.reset();
        hasPending = false;
        return Optional.of(record);
    }

    private void begin(LineReader.Line line) {
        pending.writeBytes(line.content());
        hasPending = true;
        pendingStart = line.start();
    }
}
