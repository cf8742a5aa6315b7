package io.kinesisbridge.source.file;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file sources' own dead letters, counted like every other by error code:
 * <ul>
 * <li>{@value #LINE_TOO_LONG}: a line longer than {@code bridge.file.max-record-bytes} is not sent (as Vector's
 * {@code max_line_bytes} and Fluent Bit's {@code Skip_Long_Lines} do) but dead-lettered once, with its length and
 * its first {@link LineReader#SAMPLE_BYTES} bytes as the data;</li>
 * <li>{@value #FILE_FAILED}: an inbox file moved to {@code .failed/} after it was partly read, with the reason and
 * no data;</li>
 * <li>{@value #FILE_REFUSED}: an inbox file moved to {@code .failed/} unread (a link, not a regular file).</li>
 * </ul>
 * A WARN names the file and offset (never the content), at most one per {@link #WARN_INTERVAL} for long lines.
 */
public final class FileDeadLetters {

    public static final String LINE_TOO_LONG = "LineTooLong";
    public static final String FILE_FAILED = "InboxFileFailed";
    public static final String FILE_REFUSED = "InboxFileRefused";
    static final Duration WARN_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetters.class);

    private final DeadLetterSink sink;
    private final String stream;
    private final int maxLineBytes;
    private final Clock clock;
    private Instant lastWarn;
    private long notLogged;

    public FileDeadLetters(DeadLetterSink sink, String stream, int maxLineBytes, Clock clock) {
        this.sink = sink;
        this.stream = stream;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Dead-letters {@code line} of {@code file}; throws what the sink throws, so that the line is read again. */
    public void lineTooLong(String file, LineReader.LongLine line) {
        String reason = "Line at byte " + line.start() + " of " + file + " is " + line.length()
                + " bytes, longer than bridge.file.max-record-bytes (" + maxLineBytes
                + "): not sent; Data holds its first "
                + line.sample().length + " bytes";
        Instant now = clock.instant();
        sink.accept(new DeadLetter(
                now, stream, PutRequest.of(stream, null, line.sample()), new KinesisError(LINE_TOO_LONG, reason), 0));
        warnLongLine(now, reason);
    }

    /** Dead-letters the reason an inbox file was moved to .failed/. */
    public void fileFailed(String file, String reason) {
        String message = "File " + file + " was moved to .failed/: " + reason
                + ". Lines before that point were sent; moved back into the inbox, it is read again from its start";
        LOG.warn("File inbox: {} (dead-lettered as {})", message, FILE_FAILED);
        sink.accept(new DeadLetter(
                clock.instant(),
                stream,
                PutRequest.of(stream, null, new byte[0]),
                new KinesisError(FILE_FAILED, message),
                0));
    }

    /** Dead-letters why an inbox file was moved to .failed/ without being read (the caller has logged it). */
    public void fileRefused(String file, String reason) {
        sink.accept(new DeadLetter(
                clock.instant(),
                stream,
                PutRequest.of(stream, null, new byte[0]),
                new KinesisError(FILE_REFUSED, "File " + file + " was not read: " + reason),
                0));
    }

    private synchronized void warnLongLine(Instant now, String reason) {
        if (lastWarn != null && Duration.between(lastWarn, now).compareTo(WARN_INTERVAL) < 0) {
            notLogged++;
            return;
        }
        String more = notLogged == 0 ? "" : " (" + notLogged + " more such lines since the last warning)";
        LOG.warn("File source: {} (dead-lettered as {}){}", reason, LINE_TOO_LONG, more);
        lastWarn = now;
        notLogged = 0;
    }
}
