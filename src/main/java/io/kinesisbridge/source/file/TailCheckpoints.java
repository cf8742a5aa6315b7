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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint file: {@code {"version": 1, "files": [TailCheckpoint…]}}. Written to a temporary file, forced
 * to disk and renamed over the old one, so that a crash leaves either the old or the new content.
 */
public final class TailCheckpoints {

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
    public Optional<List<TailCheckpoint>> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> doc = Json.MAPPER.readValue(file.toFile(), new TypeReference<>() {
            });
            List<TailCheckpoint> files = Json.MAPPER.convertValue(doc.getOrDefault("files", List.of()), new TypeReference<>() {
            });
            return Optional.of(files);
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint file " + file + " cannot be read: " + e.getMessage()
                    + " (delete it to start over, as on a first run)", e);
        }
    }

    public void save(List<TailCheckpoint> checkpoints) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("version", 1, "files", checkpoints));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
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
