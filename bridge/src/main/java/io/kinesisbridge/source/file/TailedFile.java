package io.kinesisbridge.source.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One file being tailed, known by its identity (device and inode), read through a handle kept open so that it
 * can be finished after it was renamed or deleted. {@code committed} is what Kinesis acknowledged;
 * {@code position} is how far batches were handed out since.
 */
final class TailedFile implements AutoCloseable {

    static final int FINGERPRINT_BYTES = 1024;
    private static final long MAX_BATCH_BYTES = 4L << 20;

    final String fileKey;
    Path path;
    private final FileChannel channel;
    long committed;
    long position;
    /** Of the first {@code fingerprintLength} bytes acknowledged: kept in the checkpoint. */
    String fingerprint;

    int fingerprintLength;
    /** Of the first bytes the file held at the last scan, acknowledged or not: tells a truncation that came first. */
    private String seenFingerprint;

    private int seenLength;
    /** Whether a glob matched the file at the last scan; a file that left (rotated away) is drained, then dropped. */
    boolean inGlob = true;

    long lastSize = -1;
    long lastChangeNanos = System.nanoTime();
    private List<String> csvColumns;
    /** A long line the file ended in at the last read: read on from there, not again from its start. */
    private Optional<LineReader.Skipping> skipping = Optional.empty();
    /** Long lines ending before this offset were dead-lettered already (a batch read again must not repeat it). */
    private long longLinesReportedTo;

    private TailedFile(String fileKey, Path path, FileChannel channel) {
        this.fileKey = fileKey;
        this.path = path;
        this.channel = channel;
        this.fingerprint = fingerprintOf(new byte[0]);
        this.seenFingerprint = fingerprint;
    }

    /** Opens {@code path} as {@code files} allows (not through a link unless links are allowed). */
    static Optional<TailedFile> open(Path path, RegularFiles files) {
        try {
            FileChannel ch = files.channel(path);
            try {
                return Optional.of(new TailedFile(keyOf(path, files), path, ch));
            } catch (IOException e) {
                ch.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty(); // gone, unreadable, or a link: the next scan looks again
        }
    }

    /** The identity a rename keeps: device and inode where the file system has them, otherwise the path. */
    static String keyOf(Path path, RegularFiles files) throws IOException {
        Object key = files.attributes(path).fileKey();
        return key != null ? key.toString() : "path:" + path.toAbsolutePath();
    }

    long size() throws IOException {
        return channel.size();
    }

    /** Whether the file still starts with the bytes it was fingerprinted by. */
    boolean startsWith(String expectedFingerprint, int length) throws IOException {
        if (length == 0) {
            return true;
        }
        byte[] head = head(length);
        return head.length == length && fingerprintOf(head).equals(expectedFingerprint);
    }

    /**
     * Whether the file was truncated (or truncated and rewritten) since the last scan: it shrank, or it no longer
     * starts with what was acknowledged or with what it held then. Then remembers what it holds now.
     */
    boolean truncatedSinceLastScan(long size) throws IOException {
        boolean truncated = size < lastSize
                || size < committed
                || !startsWith(fingerprint, fingerprintLength)
                || !startsWith(seenFingerprint, seenLength);
        if (!truncated && seenLength < FINGERPRINT_BYTES && size > seenLength) {
            byte[] head = head((int) Math.min(FINGERPRINT_BYTES, size));
            seenFingerprint = fingerprintOf(head);
            seenLength = head.length;
        }
        return truncated;
    }

    String seenFingerprint() {
        return seenFingerprint;
    }

    int seenLength() {
        return seenLength;
    }

    /** Fingerprints up to FINGERPRINT_BYTES of what was acknowledged, once the file has grown past the old one. */
    void extendFingerprint() throws IOException {
        int want = (int) Math.min(FINGERPRINT_BYTES, committed);
        if (want > fingerprintLength) {
            byte[] head = head(want);
            if (head.length == want) {
                fingerprint = fingerprintOf(head);
                fingerprintLength = want;
            }
        }
    }

    void restart() {
        committed = 0;
        position = 0;
        fingerprint = fingerprintOf(new byte[0]);
        fingerprintLength = 0;
        seenFingerprint = fingerprint;
        seenLength = 0;
        csvColumns = null;
        skipping = Optional.empty();
        longLinesReportedTo = 0;
    }

    private byte[] head(int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long p = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, p);
            if (n <= 0) {
                break;
            }
            p += n;
        }
        return buf.flip().remaining() == length ? buf.array() : Arrays.copyOf(buf.array(), buf.remaining());
    }

    static String fingerprintOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the last complete line before {@code size} ends: a start at the end skips a half-written line whole. */
    long lineStartBefore(long size) throws IOException {
        long p = size;
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (p > 0) {
            long from = Math.max(0, p - buf.capacity());
            buf.clear().limit((int) (p - from));
            channel.read(buf, from);
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            p = from;
        }
        return 0;
    }

    /**
     * The next batch from {@code position}: complete lines only, unless {@code finished} (the file was rotated away
     * and stayed quiet), when a last line without its newline counts too. With a multi-line start pattern, the
     * last record is held back until a new record starts, the file is finished, or it stayed quiet for
     * {@code settings.multilineFlush()}. A line longer than {@code settings.maxRecordBytes()} goes to
     * {@code overlong} once, not into the batch. A batch may hold no records (blank or long lines only): it only
     * moves the checkpoint.
     */
    Optional<TailBatch> nextBatch(
            TailSettings settings, boolean finished, boolean quiet, Consumer<LineReader.LongLine> overlong)
            throws IOException {
        long size = channel.size();
        if (position >= size) {
            return Optional.empty();
        }
        Optional<List<String>> columns = columns(settings);
        if (columns.isEmpty()) {
            return Optional.empty(); // the CSV header line is not complete yet
        }
        boolean skipHeader =
                settings.format() == RecordFormat.CSV && settings.csvColumns().isEmpty();
        LineReader reader = new LineReader(
                LineReader.Source.of(channel, position, size), position, settings.maxRecordBytes(), skipping);
        Optional<MultilineRecords> multiline =
                settings.multilineStart().map(p -> new MultilineRecords(p, settings.maxRecordBytes()));
        String file = path.toString();
        List<byte[]> records = new ArrayList<>();
        long bytes = 0;
        long end = position;
        boolean exhausted = false;
        while (records.size() < settings.maxBatchRecords() && bytes < MAX_BATCH_BYTES) {
            Optional<LineReader.Item> item = reader.next(finished);
            if (item.isEmpty()) {
                exhausted = true;
                break;
            }
            Optional<byte[]> record;
            if (item.get() instanceof LineReader.LongLine longLine) {
                record = multiline.flatMap(MultilineRecords::flush); // the record before it ends there
                if (longLine.end() > longLinesReportedTo) {
                    overlong.accept(longLine);
                    longLinesReportedTo = longLine.end();
                }
            } else {
                LineReader.Line line = (LineReader.Line) item.get();
                if (skipHeader && line.start() == 0) {
                    record = Optional.empty();
                } else if (multiline.isPresent()) {
                    record = multiline.get().add(line);
                } else {
                    record = line.content().length > 0 ? Optional.of(line.content()) : Optional.empty();
                }
            }
            if (record.isPresent()) {
                records.add(settings.format().toData(record.get(), columns.get(), file));
                bytes += record.get().length;
            }
            end = multiline
                    .filter(MultilineRecords::hasPending)
                    .map(MultilineRecords::pendingStart)
                    .orElse(item.get().end());
        }
        skipping = reader.skipping();
        boolean nothingUnread = exhausted && reader.lineStart() == size;
        if (multiline.isPresent() && multiline.get().hasPending() && nothingUnread && (finished || quiet)) {
            records.add(settings.format().toData(multiline.get().flush().orElseThrow(), columns.get(), file));
            end = size;
        }
        if (end == position) {
            return Optional.empty();
        }
        TailBatch batch = new TailBatch(fileKey, path, position, end, records);
        position = end;
        return Optional.of(batch);
    }

    /** The CSV columns (from the settings, or the file's first line once it is complete); none for other formats. */
    private Optional<List<String>> columns(TailSettings settings) throws IOException {
        if (settings.format() != RecordFormat.CSV) {
            return Optional.of(List.of());
        }
        if (!settings.csvColumns().isEmpty()) {
            return Optional.of(settings.csvColumns());
        }
        if (csvColumns == null) {
            LineReader header =
                    new LineReader(LineReader.Source.of(channel, 0, channel.size()), 0, settings.maxRecordBytes());
            Optional<LineReader.Item> first = header.next(false);
            if (first.isEmpty()) {
                return Optional.empty();
            }
            csvColumns = first.get() instanceof LineReader.Line line
                    ? CsvLine.split(new String(line.content(), StandardCharsets.UTF_8).strip())
                    : List.of(); // a header too long to be one: columns are named column1, column2, …
        }
        return Optional.of(csvColumns);
    }

    TailCheckpoint checkpoint() {
        return new TailCheckpoint(path.toString(), fileKey, committed, fingerprint, fingerprintLength);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a read handle: nothing to lose
        }
    }
}
