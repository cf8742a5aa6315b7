package io.kinesisbridge.dispatch.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a spool directory: numbered segments ({@code 00000000000000000007.seg}), the copies of their damaged
 * bytes ({@code .seg.corrupt}), and the head checkpoint ({@code head}, written by an atomic rename).
 */
final class SegmentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);
    private static final String SEGMENT_SUFFIX = ".seg";
    private static final String HEAD_FILE = "head";
    private static final int INDEX_DIGITS = 20;

    private final Path dir;

    SegmentFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path segment(long index) {
        return dir.resolve(name(index) + SEGMENT_SUFFIX);
    }

    Path corruptCopy(long index) {
        return dir.resolve(name(index) + SEGMENT_SUFFIX + ".corrupt");
    }

    private static String name(long index) {
        return String.format("%0" + INDEX_DIGITS + "d", index);
    }

    /** Segment index → size in bytes of every segment in the directory; empty when there is no directory. */
    TreeMap<Long, Long> list() throws IOException {
        TreeMap<Long, Long> segments = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return segments;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SEGMENT_SUFFIX) && name.length() == INDEX_DIGITS + SEGMENT_SUFFIX.length()) {
                    try {
                        segments.put(Long.parseLong(name.substring(0, INDEX_DIGITS)), Files.size(f));
                    } catch (NumberFormatException e) {
                        LOG.warn("Spool {}: ignoring {}, not a segment name", dir, name);
                    }
                }
            }
        }
        return segments;
    }

    /** The head checkpoint; empty when there is none or it cannot be read (then every segment is read from its start). */
    Optional<SpoolPosition> readHead() {
        Path file = dir.resolve(HEAD_FILE);
        try {
            String[] parts =
                    Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length == 3 && parts[0].equals("v1")) {
                return Optional.of(new SpoolPosition(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
            }
            LOG.warn("Spool {}: head checkpoint unreadable; reading every segment from its start", dir);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.warn(
                    "Spool {}: head checkpoint unreadable ({}); reading every segment from its start",
                    dir,
                    e.toString());
        }
        return Optional.empty();
    }

    /** Replaces the head checkpoint at once (write aside, then rename); nothing when the directory is gone. */
    void writeHead(SpoolPosition head) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path target = dir.resolve(HEAD_FILE);
        Path tmp = dir.resolve(HEAD_FILE + ".tmp");
        Files.writeString(tmp, "v1 " + head.segment() + " " + head.offset() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
