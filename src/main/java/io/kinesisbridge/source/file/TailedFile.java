package io.kinesisbridge.source.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One file being tailed, known by its identity (device and inode), read through a handle kept open so that it
 * can be finished after it was renamed or deleted. {@code committed} is what Kinesis acknowledged;
 * {@code position} is how far batches were handed out since.
 */
final class TailedFile implements AutoCloseable {

    static final int FINGERPRINT_BYTES = 1024;
    private static final int CHUNK = 64 * 1024;
    private static final long MAX_BATCH_BYTES = 4L << 20;

    final String fileKey;
    Path path;
    private final FileChannel channel;
    long committed;
    long position;
    String fingerprint;
    int fingerprintLength;
    /** Whether a glob matched the file at the last scan; a file that left (rotated away) is drained, then dropped. */
    boolean inGlob = true;
    long lastSize = -1;
    long lastChangeNanos = System.nanoTime();
    private List<String> csvColumns;

    private TailedFile(String fileKey, Path path, FileChannel channel) {
        this.fileKey = fileKey;
        this.path = path;
        this.channel = channel;
        this.fingerprint = fingerprintOf(new byte[0]);
    }

    static Optional<TailedFile> open(Path path) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            String key = keyOf(path);
            return Optional.of(new TailedFile(key, path, ch));
        } catch (IOException e) {
            return Optional.empty(); // gone or unreadable: the next scan looks again
        }
    }

    /** The identity a rename keeps: device and inode where the file system has them, otherwise the path. */
    static String keyOf(Path path) throws IOException {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
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
        csvColumns = null;
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
        return buf.flip().remaining() == length ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.remaining());
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
     * {@code settings.multilineFlush()}.
     */
    Optional<TailBatch> nextBatch(TailSettings settings, boolean finished, boolean quiet) throws IOException {
        long size = channel.size();
        if (position >= size) {
            return Optional.empty();
        }
        List<String> columns = List.of();
        boolean skipHeader = false;
        if (settings.format() == RecordFormat.CSV) {
            if (!settings.csvColumns().isEmpty()) {
                columns = settings.csvColumns();
            } else {
                if (csvColumns == null) {
                    Optional<byte[]> header = firstLine();
                    if (header.isEmpty()) {
                        return Optional.empty();
                    }
                    csvColumns = CsvLine.split(new String(header.get(), StandardCharsets.UTF_8).strip());
                }
                columns = csvColumns;
                skipHeader = true;
            }
        }
        boolean multiline = settings.multilineStart().isPresent();
        List<byte[]> records = new ArrayList<>();
        long batchBytes = 0;
        long end = position;             // end of the last record handed out
        long p = position;               // next byte to look at
        long lineStart = position;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        ByteArrayOutputStream pending = new ByteArrayOutputStream(multiline ? 1024 : 0);
        boolean hasPending = false;
        long pendingEnd = position;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        String file = path.toString();
        scan:
        while (p < size && records.size() < settings.maxBatchRecords() && batchBytes < MAX_BATCH_BYTES) {
            buf.clear();
            int n = channel.read(buf, p);
            if (n <= 0) {
                break;
            }
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
                byte b = a[i];
                if (b != '\n') {
                    if (line.size() < settings.maxRecordBytes()) {
                        line.write(b);
                        continue;
                    }
                    // a line longer than a record can be: what we have is a record of its own
                    if (multiline) {
                        // part of a multi-line record: the piece joins (or, past the cap, ends) the pending record
                        byte[] piece = line.toByteArray();
                        if (hasPending && pending.size() + 1 + piece.length <= settings.maxRecordBytes()) {
                            pending.write('\n');
                            pending.writeBytes(piece);
                        } else {
                            if (hasPending) {
                                byte[] rec = pending.toByteArray();
                                records.add(settings.format().toData(rec, columns, file));
                                batchBytes += rec.length;
                                pending.reset();
                            }
                            pending.writeBytes(piece);
                            hasPending = true;
                        }
                        line.reset();
                        line.write(b);
                    } else {
                        byte[] piece = line.toByteArray();
                        records.add(settings.format().toData(piece, columns, file));
                        batchBytes += piece.length;
                        end = p + i;
                        line.reset();
                        line.write(b);
                        lineStart = p + i;
                        if (records.size() >= settings.maxBatchRecords()) {
                            p = p + i;
                            line.reset();
                            break scan;
                        }
                    }
                    continue;
                }
                long next = p + i + 1;
                byte[] content = stripCr(line.toByteArray());
                line.reset();
                boolean header = skipHeader && lineStart == 0;
                long thisLineStart = lineStart;
                lineStart = next;
                if (header) {
                    end = next;
                    continue;
                }
                if (multiline) {
                    boolean starts = settings.multilineStart().get().matcher(new String(content, StandardCharsets.UTF_8)).find();
                    if (starts && hasPending) {
                        byte[] rec = pending.toByteArray();
                        records.add(settings.format().toData(rec, columns, file));
                        batchBytes += rec.length;
                        end = thisLineStart;
                        pending.reset();
                        hasPending = false;
                        if (records.size() >= settings.maxBatchRecords()) {
                            p = thisLineStart;
                            break scan;
                        }
                    }
                    if (hasPending) {
                        if (pending.size() + 1 + content.length <= settings.maxRecordBytes()) {
                            pending.write('\n');
                            pending.writeBytes(content);
                        } else {
                            // the record would pass the cap: what it holds goes as a record, the rest goes on as
                            // the next one, so that nothing of it is lost
                            byte[] rec = pending.toByteArray();
                            records.add(settings.format().toData(rec, columns, file));
                            batchBytes += rec.length;
                            end = thisLineStart;
                            pending.reset();
                            pending.writeBytes(content);
                        }
                    } else if (content.length > 0 || starts) {
                        pending.writeBytes(content);
                        hasPending = true;
                    } else {
                        end = next; // blank lines between records
                    }
                    pendingEnd = next;
                    if (!hasPending) {
                        end = next;
                    }
                } else {
                    if (content.length > 0) {
                        records.add(settings.format().toData(content, columns, file));
                        batchBytes += content.length;
                    }
                    end = next;
                    if (records.size() >= settings.maxBatchRecords() || batchBytes >= MAX_BATCH_BYTES) {
                        p = next;
                        break scan;
                    }
                }
            }
            p += n;
        }
        boolean atEof = p >= size;
        if (atEof && finished && line.size() > 0) {
            byte[] content = stripCr(line.toByteArray());
            if (multiline && hasPending) {
                pending.write('\n');
                pending.writeBytes(content);
            } else if (multiline) {
                pending.writeBytes(content);
                hasPending = true;
            } else {
                records.add(settings.format().toData(content, columns, file));
                end = size;
            }
            pendingEnd = size;
        }
        if (multiline && hasPending && atEof && (finished || quiet) && (line.size() == 0 || finished)) {
            records.add(settings.format().toData(pending.toByteArray(), columns, file));
            end = pendingEnd;
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        TailBatch batch = new TailBatch(fileKey, path, position, end, records);
        position = end;
        return Optional.of(batch);
    }

    private Optional<byte[]> firstLine() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        channel.read(buf, 0);
        byte[] a = buf.array();
        for (int i = 0; i < buf.position(); i++) {
            if (a[i] == '\n') {
                return Optional.of(stripCr(java.util.Arrays.copyOf(a, i)));
            }
        }
        return Optional.empty();
    }

    private static byte[] stripCr(byte[] b) {
        return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
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
