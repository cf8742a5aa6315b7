package io.kinesisbridge.deadletter;

import io.kinesisbridge.files.StreamFileNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters as JSON lines to {@code <dir>/<stream>.ndjson} (see {@link #fileOf}), one file per stream. A file that would
 * pass {@code maxFileBytes} is rotated to {@code .1}, {@code .2} … up to {@code maxFiles} files per stream; the
 * oldest rotation is deleted then, with a warning. Counts letters per error code.
 *
 * <p>A letter that cannot be written (a full disk, say) throws, and leaves no part of itself in the file: a short
 * write is cut back off, and a file found ending in an unfinished line (a crash while writing) is cut back to its
 * last whole line when it is opened. Only letters written in full are counted.
 */
public final class FileDeadLetterSink implements DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetterSink.class);
    /** No stream's file name starts with an underscore. */
    static final String INVALID_NAMES = "_invalid-stream-names";

    public static final long DEFAULT_MAX_FILE_BYTES = 100L << 20;
    public static final int DEFAULT_MAX_FILES = 10;

    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Opener opener;
    private final Map<Path, Writer> writers = new HashMap<>();
    private final Map<String, LongAdder> countsByCode = new ConcurrentHashMap<>();

    public FileDeadLetterSink(Path dir, long maxFileBytes, int maxFiles) {
        this(dir, maxFileBytes, maxFiles, FileChannel::open);
    }

    /** @param opener opens the files: {@link FileChannel#open}, or in tests a channel that fails as a full disk does */
    public FileDeadLetterSink(Path dir, long maxFileBytes, int maxFiles, Opener opener) {
        if (maxFileBytes < 1024 || maxFiles < 1) {
            throw new IllegalArgumentException("dead-letter files need maxFileBytes >= 1024 and maxFiles >= 1");
        }
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        this.opener = opener;
    }

    public Path dir() {
        return dir;
    }

    /**
     * {@code <dir>/<file name>.ndjson}, the file name by {@link StreamFileNames}: an ordinary (lower-case) stream
     * name as it is, any other encoded. Letters whose stream name Kinesis refuses share {@value #INVALID_NAMES}.
     */
    public Path fileOf(String streamName) {
        String name = StreamFileNames.isStreamName(streamName) ? StreamFileNames.of(streamName) : INVALID_NAMES;
        return StreamFileNames.childOf(dir, name + ".ndjson");
    }

    @Override
    public synchronized void accept(DeadLetter letter) {
        ByteBuffer line = ByteBuffer.wrap((DeadLetterJson.write(letter) + "\n").getBytes(StandardCharsets.UTF_8));
        Path file = fileOf(letter.streamName());
        Writer w = null;
        try {
            w = writers.get(file);
            if (w == null) {
                Files.createDirectories(dir);
                w = open(file);
                writers.put(file, w);
            }
            if (w.size > 0 && w.size + line.remaining() > maxFileBytes) {
                Writer full = w;
                w = null; // nothing to cut back if the rotation fails
                w = rotate(letter.streamName(), file, full);
            }
            while (line.hasRemaining()) {
                w.channel.write(line);
            }
            w.size += line.limit();
        } catch (IOException e) {
            if (w != null) {
                cutBack(file, w);
            }
            throw new UncheckedIOException("cannot write a dead letter to " + file + ": " + e.getMessage(), e);
        }
        countsByCode
                .computeIfAbsent(letter.error().code(), c -> new LongAdder())
                .increment();
    }

    /** Takes a failed write's bytes back off the file; if even that fails, the file is opened afresh next time. */
    private void cutBack(Path file, Writer w) {
        try {
            w.channel.truncate(w.size);
            w.channel.position(w.size);
        } catch (IOException e) {
            LOG.warn(
                    "Dead-letter file {}: could not cut back a failed write ({}); it is reopened for the next letter",
                    file,
                    e.toString());
            writers.remove(file);
            closeQuietly(w);
        }
    }

    /** Letters written since start, by error code. */
    public Map<String, Long> countsByErrorCode() {
        Map<String, Long> counts = new TreeMap<>();
        countsByCode.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    private Writer rotate(String streamName, Path base, Writer current) throws IOException {
        writers.remove(base);
        current.channel.close();
        Path oldest = Path.of(base + "." + (maxFiles - 1));
        if (maxFiles == 1 || Files.exists(oldest)) {
            LOG.warn(
                    "Dead-letter output of stream {} reached its cap of {} files of {} bytes: deleting {}",
                    streamName,
                    maxFiles,
                    maxFileBytes,
                    maxFiles == 1 ? base : oldest);
        }
        if (maxFiles == 1) {
            Files.delete(base);
        } else {
            for (int i = maxFiles - 1; i >= 1; i--) {
                Path from = i == 1 ? base : Path.of(base + "." + (i - 1));
                if (Files.exists(from)) {
                    Files.move(from, Path.of(base + "." + i), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Writer fresh = open(base);
        writers.put(base, fresh);
        return fresh;
    }

    @Override
    public synchronized void close() {
        writers.values().forEach(FileDeadLetterSink::closeQuietly);
        writers.clear();
    }

    private static void closeQuietly(Writer w) {
        try {
            w.channel.close();
        } catch (IOException e) {
            LOG.warn("Closing dead-letter file failed: {}", e.toString());
        }
    }

    /** Opens {@code file} for appending, first cutting off an unfinished last line left by a crash. */
    private Writer open(Path file) throws IOException {
        FileChannel channel =
                opener.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ));
        try {
            long size = channel.size();
            long whole = endOfLastLine(channel, size);
            if (whole < size) {
                LOG.warn(
                        "Dead-letter file {}: cut {} bytes of an unfinished letter at its end (a write that failed or "
                                + "was interrupted; its record was not acknowledged to its source)",
                        file,
                        size - whole);
                channel.truncate(whole);
            }
            channel.position(whole);
            return new Writer(channel, whole);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The offset just past the file's last newline (0 when it has none). */
    private static long endOfLastLine(FileChannel channel, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, start + chunk.position()) < 0) {
                    throw new IOException("the file shrank while it was read");
                }
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /** How the sink opens its files. */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException;
    }

    private static final class Writer {
        final FileChannel channel;
        long size;

        Writer(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }
    }
}
