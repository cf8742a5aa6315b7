package io.kinesisbridge.deadletter;

import io.kinesisbridge.files.StreamFileNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes dead letters as JSON lines to {@code <dir>/<stream>.ndjson} (see {@link #fileOf}), one file per stream. A file that would
 * pass {@code maxFileBytes} is rotated to {@code .1}, {@code .2} … up to {@code maxFiles} files per stream; the
 * oldest rotation is deleted then, with a warning. Counts letters per error code.
 */
public final class FileDeadLetterSink implements DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetterSink.class);
    /** No stream's file name starts with an underscore. */
    static final String INVALID_NAMES = "_invalid-stream-names";

    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Map<Path, Writer> writers = new HashMap<>();
    private final Map<String, LongAdder> countsByCode = new ConcurrentHashMap<>();

    public FileDeadLetterSink(Path dir, long maxFileBytes, int maxFiles) {
        if (maxFileBytes < 1024 || maxFiles < 1) {
            throw new IllegalArgumentException("dead-letter files need maxFileBytes >= 1024 and maxFiles >= 1");
        }
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
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
        byte[] line = (DeadLetterJson.write(letter) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path file = fileOf(letter.streamName());
            Writer w = writers.get(file);
            if (w == null) {
                Files.createDirectories(dir);
                w = new Writer(file);
                writers.put(file, w);
            }
            if (w.size > 0 && w.size + line.length > maxFileBytes) {
                w = rotate(letter.streamName(), file, w);
            }
            w.out.write(line);
            w.out.flush();
            w.size += line.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dead letter to " + fileOf(letter.streamName()), e);
        }
        countsByCode.computeIfAbsent(letter.error().code(), c -> new LongAdder()).increment();
    }

    /** Letters written since start, by error code. */
    public Map<String, Long> countsByErrorCode() {
        Map<String, Long> counts = new TreeMap<>();
        countsByCode.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    private Writer rotate(String streamName, Path base, Writer current) throws IOException {
        current.out.close();
        Path oldest = Path.of(base + "." + (maxFiles - 1));
        if (maxFiles == 1 || Files.exists(oldest)) {
            LOG.warn("Dead-letter output of stream {} reached its cap of {} files of {} bytes: deleting {}",
                    streamName, maxFiles, maxFileBytes, maxFiles == 1 ? base : oldest);
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
        Writer fresh = new Writer(base);
        writers.put(base, fresh);
        return fresh;
    }

    @Override
    public synchronized void close() {
        for (Writer w : writers.values()) {
            try {
                w.out.close();
            } catch (IOException e) {
                LOG.warn("Closing dead-letter file failed: {}", e.toString());
            }
        }
        writers.clear();
    }

    private static final class Writer {
        final OutputStream out;
        long size;

        Writer(Path file) throws IOException {
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            this.size = Files.size(file);
        }
    }
}
