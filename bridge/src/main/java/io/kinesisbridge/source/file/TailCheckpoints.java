package io.kinesisbridge.source.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint file: {@code {"version": 2, "stream": …, "format": …, "paths": […], "files": [TailCheckpoint…]}}
 * (version 1 had no scope). Written to a temporary file, forced to disk and renamed over the old one, so that a
 * crash leaves either the old or the new content.
 */
public final class TailCheckpoints {

    /**
     * What checkpoints were written for: offsets mean something only for the stream they were sent to, in the
     * format they were parsed with, and for the files the globs matched.
     *
     * @param paths the globs, absolute and normalized
     */
    public record Scope(String stream, String format, List<String> paths) {
        public Scope {
            paths = List.copyOf(paths);
        }

        public static Scope of(TailSettings settings) {
            return new Scope(
                    settings.stream(),
                    settings.format().name().toLowerCase(Locale.ROOT),
                    settings.paths().stream()
                            .map(p -> Path.of(p).toAbsolutePath().normalize().toString())
                            .toList());
        }
    }

    /** The file's content: the scope is empty for a file of version 1. */
    public record Saved(Optional<Scope> scope, List<TailCheckpoint> files) {}

    /** Built on first use (when checkpoints are read or written): an ObjectMapper costs start-up time. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Path file;

    public TailCheckpoints(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The checkpoints, or empty when the file does not exist (the first run). */
    public Optional<Saved> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> doc = Json.MAPPER.readValue(file.toFile(), new TypeReference<>() {});
            List<TailCheckpoint> files =
                    Json.MAPPER.convertValue(doc.getOrDefault("files", List.of()), new TypeReference<>() {});
            Optional<Scope> scope = doc.containsKey("stream")
                    ? Optional.of(new Scope(
                            String.valueOf(doc.get("stream")),
                            String.valueOf(doc.get("format")),
                            Json.MAPPER.convertValue(
                                    doc.getOrDefault("paths", List.of()), new TypeReference<List<String>>() {})))
                    : Optional.empty();
            return Optional.of(new Saved(scope, files));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "The checkpoint file " + file + " cannot be read: " + e.getMessage()
                            + " (delete it to start over, as on a first run)",
                    e);
        }
    }

    public void save(Scope scope, List<TailCheckpoint> checkpoints) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", 2);
            doc.put("stream", scope.stream());
            doc.put("format", scope.format());
            doc.put("paths", scope.paths());
            doc.put("files", checkpoints);
            byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint file " + file + " cannot be written: " + e.getMessage(), e);
        }
    }
}
